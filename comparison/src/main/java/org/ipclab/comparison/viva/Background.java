package org.ipclab.comparison.viva;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The other end of an experiment's connection, on a daemon thread of its own: an echo server, a writer, a second
 * client. It blocks on the experiment's channels, so it ends by itself once the experiment closes them (a call
 * blocked on a closed channel throws AsynchronousCloseException), also when the experiment is stopped early.
 */
final class Background<T> {

    private final FutureTask<T> task;
    private final Thread thread;

    private Background(String name, Callable<T> work) {
        this.task = new FutureTask<>(work);
        this.thread = new Thread(task, name);
        thread.setDaemon(true);
    }

    static <T> Background<T> start(String name, Callable<T> work) {
        Background<T> background = new Background<>(name, work);
        background.thread.start();
        return background;
    }

    /** Its result; its failure as an IOException; at most the experiment's own time bound. */
    T join() throws IOException, InterruptedException {
        try {
            return task.get(VivaExperiments.EXPERIMENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(thread.getName() + " failed: " + Errnos.describe(cause), cause);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new IOException(thread.getName() + " did not finish within " + VivaExperiments.EXPERIMENT_TIMEOUT.toSeconds() + " s");
        }
    }
}
