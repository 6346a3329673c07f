package org.ipclab.core.experiments;

/** The property experiments of one transport (placeholder, being designed). */
public interface TransportExperiments {
}
