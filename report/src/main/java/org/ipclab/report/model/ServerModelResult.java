package org.ipclab.report.model;

/**
 * One point of the server-design sweep: a TCP echo server of one {@link #model} serving {@link #clients} clients
 * at once, each sending 64 B echoes one after another and then closing.
 *
 * @param model           iterative, threads, pool, nio or virtual ({@code ./ipc-lab server tcp --model})
 * @param clients         clients connected at once
 * @param echoes          echoes completed (every one compared byte for byte)
 * @param echoesPerSecond echoes completed per second of the point's wall time
 * @param p50             median time from a client's write to its whole echo, waiting for the server included
 * @param p99             99th percentile of the same
 * @param longestFirstEcho the longest any client waited for its first echo: for an iterative server, the time it
 *                        took to serve every client before the last
 * @param rssMiB          the server's peak resident memory during the point (VmHWM is not reset, so the peak of
 *                        VmRSS sampled while the clients ran)
 * @param threads         the server's peak thread count during the point
 * @param unfinished      clients that had not finished within the point's time limit (0 when all did)
 */
public record ServerModelResult(String model, int clients, long echoes, double echoesPerSecond, Quantity p50,
                                Quantity p99, Quantity longestFirstEcho, double rssMiB, int threads, int unfinished) {
}
