package org.ipclab.pipe;

import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server fifo} and {@code ipc-lab client fifo} (placeholder). */
final class FifoCli implements TransportCli {
}
