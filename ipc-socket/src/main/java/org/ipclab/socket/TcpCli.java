package org.ipclab.socket;

import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server tcp} and {@code ipc-lab client tcp} (placeholder). */
final class TcpCli implements TransportCli {
}
