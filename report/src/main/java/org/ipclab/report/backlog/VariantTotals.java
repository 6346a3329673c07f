package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The clients of a set of trials (one namespace variant) counted by what happened to them. */
final class VariantTotals {
    int clients;
    int served;
    int gaveUp;
    int reset;
    int refused;
    int halfOpenNone;
    int halfOpenSynRecv;
    long cookies;
    long reqQFullDrop;
    long embryonicRsts;

    static VariantTotals of(List<BacklogTrial> trials) {
        VariantTotals t = new VariantTotals();
        for (BacklogTrial trial : trials) {
            t.clients += trial.summary().clients();
            t.served += trial.summary().served();
            t.gaveUp += trial.summary().gaveUp();
            t.reset += trial.summary().reset();
            t.refused += trial.summary().refused();
            for (ClientResult c : trial.clientResults()) {
                if (c.halfOpenAtMs() != null) {
                    if ("SYN_RECV".equals(c.halfOpenServerState())) {
                        t.halfOpenSynRecv++;
                    } else {
                        t.halfOpenNone++;
                    }
                }
            }
            Map<String, Long> d = trial.counterDeltas();
            t.cookies += d.getOrDefault("TcpExt.SyncookiesSent", 0L);
            t.reqQFullDrop += d.getOrDefault("TcpExt.TCPReqQFullDrop", 0L);
            t.embryonicRsts += d.getOrDefault("TcpExt.EmbryonicRsts", 0L);
        }
        return t;
    }

    String describe() {
        return clients + " clients: " + served + " served, " + gaveUp + " gave up, " + reset + " reset, "
                + refused + " refused; " + (halfOpenNone + halfOpenSynRecv) + " connected while the server held "
                + "no finished connection for them (" + halfOpenSynRecv + " of them half-open in SYN_RECV); "
                + "syncookies sent " + cookies + ", SYNs dropped for a full SYN queue " + reqQFullDrop
                + ", RSTs for handshakes (EmbryonicRsts) " + embryonicRsts;
    }

    String differenceFrom(VariantTotals base) {
        List<String> diffs = new ArrayList<>();
        if (reset != base.reset) {
            diffs.add(reset + " reset instead of " + base.reset);
        }
        if (gaveUp != base.gaveUp) {
            diffs.add(gaveUp + " gave up instead of " + base.gaveUp);
        }
        if (served != base.served) {
            diffs.add(served + " served instead of " + base.served);
        }
        if (halfOpenSynRecv + halfOpenNone != base.halfOpenSynRecv + base.halfOpenNone) {
            diffs.add((halfOpenSynRecv + halfOpenNone) + " connected without a server-side connection instead of "
                    + (base.halfOpenSynRecv + base.halfOpenNone));
        }
        if (diffs.isEmpty()) {
            return "Measured against the control: no difference in what the clients experienced.";
        }
        return "Measured against the control: " + String.join(", ", diffs) + ".";
    }
}
