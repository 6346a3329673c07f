package org.ipclab.core.experiments;

import java.nio.file.Path;
import java.util.List;

/**
 * The property experiments of one transport: every transport answers every {@link Property} with a small experiment
 * of its own that makes the system calls and reports what the kernel did.
 *
 * <p>Each experiment runs in its own empty directory {@code dir} (removed afterwards), must finish within a few
 * seconds, and leaves no descriptor, process or file behind. One that cannot run on this machine returns
 * {@link Cell#notDemonstrated}; one that throws is reported by the runner as "failed: reason".
 *
 * <p>An experiment that needs a second process starts it with {@link ChildJvm#start}; that JVM runs
 * {@link PropertyChildMain}, which finds this transport in the registry and calls {@link #child}.
 */
public interface TransportExperiments {

    /** The transport's id, as in its descriptor. */
    String transport();

    Cell direction(Path dir) throws Exception;

    Cell messageBoundaries(Path dir) throws Exception;

    Cell capacityBeforeWriterBlocks(Path dir) throws Exception;

    Cell senderWithNoPeer(Path dir) throws Exception;

    Cell survivesCrash(Path dir) throws Exception;

    Cell whoCanConnect(Path dir) throws Exception;

    Cell manyClients(Path dir) throws Exception;

    /** The experiment that answers {@code property}. */
    default Cell run(Property property, Path dir) throws Exception {
        return switch (property) {
            case DIRECTION -> direction(dir);
            case MESSAGE_BOUNDARIES -> messageBoundaries(dir);
            case CAPACITY -> capacityBeforeWriterBlocks(dir);
            case SENDER_WITH_NO_PEER -> senderWithNoPeer(dir);
            case SURVIVES_CRASH -> survivesCrash(dir);
            case WHO_CAN_CONNECT -> whoCanConnect(dir);
            case MANY_CLIENTS -> manyClients(dir);
        };
    }

    /**
     * The second process's side of an experiment, in the child JVM: {@code mode} is what the parent passed to
     * {@link ChildJvm#start}. Speaks on stdout through {@link ChildSide#say} with the tags of {@link ChildSide}.
     * Transports whose experiments need no second process keep this default, which refuses every mode.
     */
    default void child(String mode, List<String> args) throws Exception {
        throw new IllegalArgumentException(transport() + " has no child mode '" + mode + "'");
    }
}
