package org.ipclab.comparison;

import org.ipclab.comparison.cli.IpcLabCommand;

/** The {@code ipc-lab} command: {@code ./ipc-lab server tcp}, {@code ./ipc-lab client tcp}, {@code ./ipc-lab compare}... */
public final class IpcLabMain {

    private IpcLabMain() {
    }

    public static void main(String[] args) {
        System.exit(IpcLabCommand.execute(args, System.out, System.err));
    }
}
