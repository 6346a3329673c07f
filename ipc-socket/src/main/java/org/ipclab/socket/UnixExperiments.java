package org.ipclab.socket;

import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments of {@code unix} (placeholder). */
final class UnixExperiments implements TransportExperiments {
}
