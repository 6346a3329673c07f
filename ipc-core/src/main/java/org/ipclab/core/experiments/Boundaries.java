package org.ipclab.core.experiments;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The message-boundary experiment's observation: the sizes written (three writes before the reader reads) and the
 * sizes each read returned.
 */
public record Boundaries(List<Integer> writes, List<Integer> reads) {

    /** Three writes of different sizes, all made before the reader reads once. */
    public static final List<Integer> WRITES = List.of(10, 20, 30);
    /** The reader asks for far more than was written, so only the transport decides where a read stops. */
    public static final int READ_BUFFER_BYTES = 64 * 1024;

    public static byte[] payload(int size, int index) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) ('A' + index));
        return bytes;
    }

    public int written() {
        return writes.stream().mapToInt(Integer::intValue).sum();
    }

    public int read() {
        return reads.stream().mapToInt(Integer::intValue).sum();
    }

    public boolean kept() {
        return reads.equals(writes);
    }

    /**
     * @param writer e.g. "The client wrote"
     * @param reading how the reader read, e.g. "with a 65536-byte buffer"
     */
    public Cell cell(String writer, String reading) {
        String sizesWritten = sizes(writes, "+");
        String evidence = writer + " " + sizes(writes, ", ") + " B in " + writes.size() + " separate calls before "
                + "anything was read; then " + (reads.size() == 1
                ? "one read " + reading + " returned all " + reads.get(0) + " B"
                : reads.size() + " reads " + reading + " returned " + sizes(reads, ", ") + " B") + ".";
        if (read() != written()) {
            return Cell.measured("incomplete: " + read() + " of " + written() + " B arrived",
                    evidence + " Not all bytes arrived within the time limit.");
        }
        if (kept()) {
            return Cell.measured("kept: " + sizes(reads, ", ") + " B", evidence
                    + " Each read returned exactly one message, whole.");
        }
        return Cell.measured("none: " + sizesWritten + " B read as " + sizes(reads, "+") + " B", evidence
                + " A byte stream keeps no boundaries: the receiver must frame messages itself (length prefix or delimiter).");
    }

    /** The stream transports' reader: one buffer far bigger than all three writes. */
    public static final String STREAM_READING = "with a " + READ_BUFFER_BYTES + "-byte buffer";

    /** For a byte stream whose reads happened to line up with the writes: honest about what it shows. */
    public Cell streamCell(String writer) {
        Cell cell = cell(writer, STREAM_READING);
        if (kept()) {
            return Cell.measured("none promised (reads matched writes this run)", cell.evidence()
                    + " A byte stream does not promise this; here the reader was simply fast enough.");
        }
        return cell;
    }

    private static String sizes(List<Integer> sizes, String separator) {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(separator));
    }
}
