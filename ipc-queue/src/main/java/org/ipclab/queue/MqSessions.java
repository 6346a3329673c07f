package org.ipclab.queue;

import java.util.Arrays;

/**
 * The clients of a {@link PosixMqEchoServer}, found by the priority their messages carry: the kernel tells the
 * server each message's priority, and that is all it knows of who sent it. Used by the server's loop thread only.
 */
final class MqSessions {

    private final MqSession[] byPriority = new MqSession[MqFrame.MQ_PRIO_MAX];
    private MqSession[] sessions = new MqSession[8];
    private int count;
    private int nextPriority = MqFrame.LAST_CLIENT_PRIORITY;

    /** The client that holds {@code priority}, or null. */
    MqSession byPriority(int priority) {
        return byPriority[priority];
    }

    int count() {
        return count;
    }

    /** The {@code i}-th client, 0 &le; i &lt; {@link #count()}; removing it moves the last one into its place. */
    MqSession get(int i) {
        return sessions[i];
    }

    /**
     * A priority no client holds, or -1. Handed out in turn, from the highest down, so that a freed one is reused
     * as late as possible: a message still queued from a client that is gone is then dropped, never echoed to
     * someone else.
     */
    int freePriority() {
        for (int tries = 0; tries <= MqFrame.LAST_CLIENT_PRIORITY; tries++) {
            int candidate = nextPriority;
            nextPriority = candidate == MqFrame.FIRST_CLIENT_PRIORITY ? MqFrame.LAST_CLIENT_PRIORITY : candidate - 1;
            if (byPriority[candidate] == null) {
                return candidate;
            }
        }
        return -1;
    }

    void add(MqSession session) {
        byPriority[session.priority] = session;
        if (count == sessions.length) {
            sessions = Arrays.copyOf(sessions, sessions.length * 2);
        }
        sessions[count++] = session;
    }

    void remove(MqSession session) {
        byPriority[session.priority] = null;
        for (int i = 0; i < count; i++) {
            if (sessions[i] == session) {
                sessions[i] = sessions[--count];
                sessions[count] = null;
                break;
            }
        }
    }
}
