package org.ipclab.core.cli;

/** How {@code ipc-lab server X} and {@code ipc-lab client X} look for one transport (placeholder, being designed). */
public interface TransportCli {
}
