package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Numbers of a backlog run as the findings write them: seconds, lists, the SYN retransmission delays. */
final class BacklogFormat {

    private BacklogFormat() {
    }

    /**
     * The distinct delays, from each client's start, at which waiting clients were seen to retransmit a SYN,
     * rounded to 0.5 s (timer slack and the 100 ms sampling blur the exact instants).
     */
    static List<Double> retransmitDelaysS(List<BacklogTrial> trials) {
        TreeSet<Double> delays = new TreeSet<>();
        for (BacklogTrial t : trials) {
            for (ClientResult c : t.clientResults()) {
                for (double at : c.synRetransmitsAtMs()) {
                    delays.add(Math.round((at - c.startMs()) / 500.0) / 2.0);
                }
            }
        }
        return new ArrayList<>(delays);
    }
    static List<Double> roundTenths(List<Double> values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(round1(v));
        }
        return out;
    }
    static List<Integer> backlogsOf(List<BacklogTrial> trials) {
        TreeSet<Integer> set = new TreeSet<>();
        for (BacklogTrial t : trials) {
            set.add(t.backlog());
        }
        return new ArrayList<>(set);
    }
    static String joinInts(List<Integer> values) {
        List<String> parts = new ArrayList<>();
        for (int v : values) {
            parts.add(String.valueOf(v));
        }
        return String.join(", ", parts);
    }
    static String joinSeconds(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(formatSeconds(v));
        }
        return String.join(", ", parts);
    }
    static String formatSeconds(double s) {
        if (Math.abs(s - Math.rint(s)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        return String.format(Locale.ROOT, s < 10 ? "%.2f s" : "%.1f s", s).replace(".50 s", ".5 s")
                .replaceAll("(\\.\\d)0 s", "$1 s");
    }
    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
