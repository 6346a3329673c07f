package org.ipclab.report;

import org.ipclab.report.model.Results;

/**
 * The lab record's Conclusion: five to eight sentences from this run. (Being written: the placeholder says so.)
 */
final class Conclusion {

    private Conclusion() {
    }

    /** Markdown paragraph(s), no heading; every µs or ms figure is a value of {@code results}. */
    static String prose(Results results, Question2Renderer question2) {
        return "(The conclusion is not written yet.)";
    }
}
