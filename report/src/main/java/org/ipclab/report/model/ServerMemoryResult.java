package org.ipclab.report.model;

/**
 * What a TCP echo server of one design holds after load, with many idle connections, as a foreign client (Python's
 * sockets) sees it: {@link #loadClients} clients echo {@link #loadEchoes} messages of {@link #messageBytes} each and
 * leave, then {@link #idleConnections} connections are opened and left idle.
 *
 * @param rssAfterLoadMiB  the server's resident memory once the load's clients had gone
 * @param rssIdleMiB       the same with the idle connections open
 * @param perConnectionKiB (rssIdle - rssAfterLoad) / idleConnections
 * @param threads          the server's threads with the idle connections open
 * @param newClientEcho    a new client's connect and 64 B echo while they stay open
 * @param openFileLimit    the server's open-file limit (soft), which bounds its connections
 * @param defaultModel     true for the design {@code ./ipc-lab server tcp} runs without {@code --model} (the one
 *                         the memory targets are about); null in a results.json written before it was recorded
 */
public record ServerMemoryResult(String model, int loadClients, int loadEchoes, int messageBytes, int idleConnections,
                                 double rssAfterLoadMiB, double rssIdleMiB, double perConnectionKiB, int threads,
                                 Quantity newClientEcho, long openFileLimit, Boolean defaultModel) {
}
