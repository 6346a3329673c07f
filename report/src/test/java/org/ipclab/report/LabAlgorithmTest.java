package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.report.diagram.PlantUml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The numbered steps and the flowcharts drawn from them say the same thing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabAlgorithmTest {

    private static final Pattern TEXT = Pattern.compile("<text[^>]*>([^<]*)</text>");

    @Test
    void everyStepsCallIsInItsSentenceAndInTheDrawnFlowchart() throws IOException {
        check("server", LabAlgorithm.SERVER);
        check("client", LabAlgorithm.CLIENT);
    }

    private static void check(String who, List<LabAlgorithm.Step> steps) throws IOException {
        String svg = PlantUml.svg(LabAlgorithm.flowchart("The lab's echo " + who, steps));
        assertTrue(svg.startsWith("<svg") || svg.startsWith("<?xml"), who + ": PlantUML drew an SVG document");
        StringBuilder drawn = new StringBuilder();
        Matcher text = TEXT.matcher(svg);
        while (text.find()) {
            drawn.append(text.group(1)).append('\n');
        }
        assertTrue(svg.contains("<rect") && svg.contains("<path") || svg.contains("<polygon"),
                who + ": the flowchart has boxes and arrows");
        for (int i = 0; i < steps.size(); i++) {
            LabAlgorithm.Step step = steps.get(i);
            for (String call : step.calls()) {
                assertTrue(step.text().toLowerCase(java.util.Locale.ROOT).contains(call), who + " step " + (i + 1) + " names " + call + ": " + step.text());
                assertTrue(drawn.toString().contains(call), who + " flowchart shows step " + (i + 1) + "'s " + call
                        + " as text; it shows:\n" + drawn);
            }
        }
    }
}
