package org.ipclab.socket;

import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments of {@code tcp} (placeholder). */
final class TcpExperiments implements TransportExperiments {
}
