package org.ipclab.report;

import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.model.Quantity;

/** The text of table cells: a time in µs, a share of a whole, a header row; "–" where nothing was measured. */
final class Cells {

    private Cells() {
    }

    /** A time in µs, formatted; "–" for none. */
    static String us(Quantity q) {
        return q == null ? "–" : Numbers.format(Numbers.micros(q));
    }

    /** A number of µs, formatted; "–" for none. */
    static String us(Double micros) {
        return micros == null ? "–" : Numbers.format(micros);
    }

    /** {@code part} as a percentage of {@code whole}; "–" when either is missing. */
    static String share(Double part, Double whole) {
        return part == null || whole == null || whole <= 0 ? "–" : Numbers.percent(part / whole);
    }

    /** A header row: {@code first}, then {@code rest}. */
    static List<String> header(String first, List<String> rest) {
        List<String> header = new ArrayList<>();
        header.add(first);
        header.addAll(rest);
        return header;
    }
}
