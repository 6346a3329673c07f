package org.ipclab.pipe;

import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server pipe} and {@code ipc-lab client pipe} (placeholder). */
final class PipeCli implements TransportCli {
}
