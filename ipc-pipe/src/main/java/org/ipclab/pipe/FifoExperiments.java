package org.ipclab.pipe;

import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments of {@code fifo} (placeholder). */
final class FifoExperiments implements TransportExperiments {
}
