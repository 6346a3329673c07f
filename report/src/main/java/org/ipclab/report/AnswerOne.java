package org.ipclab.report;

import org.ipclab.report.model.Results;

/**
 * Answer 1 of the lab record in prose: how socket programming differs from pipes and message queues, each claim
 * citing this run's measurement. (Being written: the placeholder says so.)
 */
final class AnswerOne {

    private AnswerOne() {
    }

    /** Markdown paragraphs, no heading; every µs or ms figure is a value of {@code results}. */
    static String prose(Results results) {
        return "(Answer 1 in prose is not written yet; the property matrix below holds this run's evidence.)";
    }
}
