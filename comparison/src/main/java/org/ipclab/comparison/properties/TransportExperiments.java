package org.ipclab.comparison.properties;

import java.nio.file.Path;

/**
 * The seven experiments for one transport. Each runs in its own empty directory {@code dir} (removed afterwards),
 * must finish within a few seconds, and leaves no descriptor, process or file behind.
 */
interface TransportExperiments {

    String transport();

    Cell direction(Path dir) throws Exception;

    Cell messageBoundaries(Path dir) throws Exception;

    Cell capacityBeforeWriterBlocks(Path dir) throws Exception;

    Cell senderWithNoPeer(Path dir) throws Exception;

    Cell survivesCrash(Path dir) throws Exception;

    Cell whoCanConnect(Path dir) throws Exception;

    Cell manyClients(Path dir) throws Exception;
}
