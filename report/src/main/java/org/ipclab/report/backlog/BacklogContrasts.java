package org.ipclab.report.backlog;

import static org.ipclab.report.backlog.BacklogFormat.backlogsOf;
import static org.ipclab.report.backlog.BacklogFormat.joinInts;

import java.util.ArrayList;
import java.util.List;

/** The namespace variants against the control: what changing one sysctl changed for the clients. */
final class BacklogContrasts {

    private final BacklogReport report;
    private final BacklogFindings findings;

    BacklogContrasts(BacklogReport report, BacklogFindings findings) {
        this.report = report;
        this.findings = findings;
    }

    /** The namespace contrasts, one paragraph per variant, derived from its trials against the control's. */
    List<String> contrasts() {
        List<String> out = new ArrayList<>();
        if (report.variants().isEmpty()) {
            if (report.variantsSkipped() != null) {
                out.add("The contrasting sysctls were not measured in this run: " + report.variantsSkipped() + ".");
            }
            return out;
        }
        NamespaceVariant control = null;
        for (NamespaceVariant v : report.variants()) {
            if (v.sysctls().isEmpty() && v.blockingConnect() == null && v.error() == null) {
                control = v;
            }
        }
        VariantTotals base = control == null ? null : VariantTotals.of(control.trials());
        if (base != null) {
            out.add("Control (a fresh namespace with the kernel's defaults, a slow server that accepts one connection "
                    + "every " + acceptEvery(control) + " ms, clients arriving all at once, backlog "
                    + joinInts(backlogsOf(control.trials())) + "): " + base.describe() + ".");
        }
        for (NamespaceVariant v : report.variants()) {
            if (v == control || v.blockingConnect() != null) {
                continue;
            }
            if (v.error() != null) {
                out.add("`" + v.name() + "`: the variant failed: " + v.error() + ".");
                continue;
            }
            VariantTotals t = VariantTotals.of(v.trials());
            StringBuilder s = new StringBuilder("`" + v.name() + "`: " + t.describe() + ". ");
            if (base != null) {
                s.append(t.differenceFrom(base));
            }
            out.add(s.toString().trim());
        }
        return out;
    }

    private static long acceptEvery(NamespaceVariant v) {
        return v.trials().isEmpty() ? 0 : v.trials().get(0).acceptEveryMs();
    }
}
