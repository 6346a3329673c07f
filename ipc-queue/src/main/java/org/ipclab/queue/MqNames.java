package org.ipclab.queue;

import java.util.regex.Pattern;

/**
 * Queue names. A server named {@code echo} receives on {@code /ipclab-echo-req}; each client creates its own
 * response queue {@code /ipclab-echo-rsp-<client pid>-<n>}, so a listing of /dev/mqueue shows who is
 * connected, and a queue left by a client that died can be traced to its (dead) pid.
 */
final class MqNames {

    /** The server name when none is given: queues {@code /ipclab-echo-req}, {@code /ipclab-echo-rsp-...}. */
    static final String DEFAULT_SERVER_NAME = "echo";

    private static final int MAX_SERVER_NAME = 64;
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_SERVER_NAME + "}");
    private static final String PREFIX = "/ipclab-";

    private MqNames() {
    }

    /** The name a user gives ({@code --name}), checked: it becomes part of queue names. */
    static String checkServerName(String name) {
        if (name == null || !SERVER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("posix-mq server name '" + name + "' is not valid: use 1 to "
                    + MAX_SERVER_NAME + " letters, digits, '.', '_' or '-' (it becomes part of the queue names)");
        }
        return name;
    }

    static String requestQueue(String server) {
        return PREFIX + server + "-req";
    }

    static String responseQueue(String server, int clientPid, int clientSeq) {
        return PREFIX + server + "-rsp-" + clientPid + "-" + Integer.toUnsignedString(clientSeq);
    }

    /** What mq_open accepts on Linux: '/', then 1 to 255 characters with no other '/'. */
    static boolean isValidQueueName(String name) {
        return name != null && name.length() >= 2 && name.length() <= 256 && name.charAt(0) == '/'
                && name.indexOf('/', 1) < 0;
    }
}
