package org.ipclab.comparison.viva;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ipclab.report.model.VivaAnswer;

/**
 * Shared memory (shm_overview(7), shmget(2)) is not in ipc-lab yet, so nothing is measured: the answer says so and
 * looks only at what the machine offers for it (/dev/shm). Chronicle Queue, which ipc-lab has, is
 * shared memory over a mapped file; its own question shows that mapping.
 */
final class SharedMemory implements VivaExperiment {

    static final Path DEV_SHM = Path.of("/dev/shm");
    static final String NOT_IN_PROJECT = "ipc-lab has no shared-memory transport yet: nothing was measured";

    @Override
    public String id() {
        return "shared-memory";
    }

    @Override
    public String question() {
        return "What is shared memory, and why does it need synchronisation?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        String devShm = m.put("devShm", Files.isDirectory(DEV_SHM) ? "present" : "absent");
        return m.answer(this, "Two processes map the same physical pages (shm_open() and mmap(), or System V shmget() "
                + "and shmat()), so what one writes the other sees at once, with no system call and no copy: the fastest "
                + "IPC. But the kernel then takes no part in each exchange: nothing stops a reader from seeing a message "
                + "half written, or two writers from overwriting each other, so the processes must synchronise "
                + "themselves, with a process-shared semaphore or mutex, or atomic operations and a futex. ipc-lab has "
                + "no shared-memory transport yet, so this run measured none (/dev/shm, where shm_open() creates its "
                + "objects, is " + devShm + " here); Chronicle Queue (its own question) is shared memory over a file.",
                false, NOT_IN_PROJECT);
    }
}
