package org.ipclab.queue;

import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments of {@code posix-mq} (placeholder). */
final class PosixMqExperiments implements TransportExperiments {
}
