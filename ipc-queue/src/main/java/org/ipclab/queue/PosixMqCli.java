package org.ipclab.queue;

import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server posix-mq} and {@code ipc-lab client posix-mq} (placeholder). */
final class PosixMqCli implements TransportCli {
}
