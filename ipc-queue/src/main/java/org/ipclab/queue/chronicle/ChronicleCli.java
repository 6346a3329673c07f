package org.ipclab.queue.chronicle;

import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server chronicle} and {@code ipc-lab client chronicle} (placeholder). */
final class ChronicleCli implements TransportCli {
}
