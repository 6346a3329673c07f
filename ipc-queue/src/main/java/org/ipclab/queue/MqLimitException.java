package org.ipclab.queue;

import java.io.IOException;

/**
 * mq_open(O_CREAT) failed with EMFILE: the new queue would take this user over RLIMIT_MSGQUEUE (or the process
 * is out of file descriptors). A smaller queue may still fit.
 */
final class MqLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    MqLimitException(String message) {
        super(message);
    }
}
