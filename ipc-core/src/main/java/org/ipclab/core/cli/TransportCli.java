package org.ipclab.core.cli;

/**
 * How {@code ipc-lab server ID} and {@code ipc-lab client ID} look for one transport: their help, their own
 * options, and how the values become an endpoint and settings. The command line builds both commands from this
 * (the options every server or client shares — payload, count, timeout, idle timeout, max connections — are
 * defined once there), so adding a transport adds its commands without a command class.
 */
public interface TransportCli {

    /** What the user types to run ipc-lab, for hints such as "start one with ./ipc-lab server tcp". */
    String LAUNCHER = "./ipc-lab";

    /** {@code ipc-lab server ID}. */
    ServerCli server();

    /** {@code ipc-lab client ID}. */
    ClientCli client();
}
