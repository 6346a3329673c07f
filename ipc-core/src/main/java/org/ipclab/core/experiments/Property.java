package org.ipclab.core.experiments;

/**
 * The questions of the property matrix, in the order the report shows them. Every transport answers each one with
 * its own small experiment ({@link TransportExperiments}); the label is the row name in results.json and the report.
 */
public enum Property {
    DIRECTION("direction"),
    MESSAGE_BOUNDARIES("message boundaries"),
    CAPACITY("capacity before the writer blocks"),
    SENDER_WITH_NO_PEER("sender with no peer"),
    SURVIVES_CRASH("survives a crash"),
    WHO_CAN_CONNECT("who can connect"),
    MANY_CLIENTS("many clients");

    private final String label;

    Property(String label) {
        this.label = label;
    }

    /** The row name, e.g. "capacity before the writer blocks". */
    public String label() {
        return label;
    }
}
