package org.ipclab.socket;

import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server unix} and {@code ipc-lab client unix} (placeholder). */
final class UnixCli implements TransportCli {
}
