package org.ipclab.queue;

/** One client of a {@link PosixMqEchoServer}: its pid, its priority, its response queue, and how much it has sent. */
final class MqSession {

    final int pid;
    final int priority;
    final MqQueue responses;
    long lastActivityMs;
    long echoedBytes;

    MqSession(int pid, int priority, MqQueue responses, long now) {
        this.pid = pid;
        this.priority = priority;
        this.responses = responses;
        this.lastActivityMs = now;
    }
}
