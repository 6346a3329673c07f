package org.ipclab.pipe;

import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments of {@code pipe} (placeholder). */
final class PipeExperiments implements TransportExperiments {
}
