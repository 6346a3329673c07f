package org.ipclab.comparison.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server's log that prints its banner first. A server's own threads can start logging while the starting thread
 * still prints the banner (Chronicle's echo thread starts on the requests that were waiting as soon as the server
 * opens); their lines are held until the banner's last line ("Press Ctrl-C to stop."), so a transcript reads in
 * order. Should that line never come, they are let through half a second after {@link #releaseLater()}.
 */
final class BannerFirst implements Consumer<String> {
    static final String LAST_BANNER_LINE = "Press Ctrl-C to stop.";
    private static final long FALLBACK_MS = 500;
    private final Consumer<String> out;
    private final Thread bannerThread;
    private List<String> held = new ArrayList<>();

    BannerFirst(Consumer<String> out, Thread bannerThread) {
        this.out = out;
        this.bannerThread = bannerThread;
    }

    @Override
    public synchronized void accept(String line) {
        if (held != null && Thread.currentThread() != bannerThread) {
            held.add(line);
            return;
        }
        out.accept(line);
        if (line.equals(LAST_BANNER_LINE)) {
            release();
        }
    }

    /** Lets held lines through after the fallback delay, whether or not the banner's last line came. */
    void releaseLater() {
        CompletableFuture.runAsync(this::release, CompletableFuture.delayedExecutor(FALLBACK_MS, TimeUnit.MILLISECONDS));
    }

    private synchronized void release() {
        if (held != null) {
            held.forEach(out);
            held = null;
        }
    }
}
