package org.ipclab.queue.chronicle;

import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments of {@code chronicle} (placeholder). */
final class ChronicleExperiments implements TransportExperiments {
}
