package org.ipclab.core.cli;

import java.io.InputStream;
import java.util.SplittableRandom;

/** Deterministic bytes, never held in memory: the same sequence every time it is opened (seeded by the size). */
public final class PseudoRandomBytes extends InputStream {
    private final SplittableRandom random;
    private long left;

    public PseudoRandomBytes(long size) {
        this.left = size;
        this.random = new SplittableRandom(size);
    }

    @Override
    public int read() {
        if (left <= 0) {
            return -1;
        }
        left--;
        return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
    }
}
