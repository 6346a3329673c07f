package org.ipclab.report.backlog;

/** How the experiment's clients arrive at a server that is not accepting. */
public enum Arrival {
    /** Each client starts when the one before it has connected, failed, or waited the stagger time. */
    ONE_BY_ONE("one after another"),
    /** Every client calls connect() in one tight loop. */
    ALL_AT_ONCE("all at once");

    private final String label;

    Arrival(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
