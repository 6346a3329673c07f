package org.ipclab.report.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BacklogSectionTest {

    @TempDir
    Path dir;

    @Test
    void writesTheChartBesideAndLinksIt() throws Exception {
        BacklogReport report = Fixtures.sweep(1);
        String md = BacklogSection.markdown(report, dir);
        Path svg = dir.resolve(BacklogSection.CHART_FILE);
        assertTrue(Files.size(svg) > 1000, "chart written");
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("</svg>"), "an SVG document");
        assertTrue(text.contains("kernel rule measured here: y = B+1"), "the measured rule is drawn");
        assertTrue(md.contains("](" + BacklogSection.CHART_FILE + ")"), md);
        assertTrue(md.startsWith("## Question 2"), md);
        // one sweep row per trial
        long rows = md.lines().filter(l -> l.matches("\\| \\d+ \\| \\d+ \\| .*")).count();
        assertEquals(report.trials().size(), rows, md);
    }

    @Test
    void linksTheChartRelativeToTheMarkdown() throws Exception {
        String md = BacklogSection.markdown(Fixtures.sweep(1), dir.resolve("charts"), dir);
        assertTrue(md.contains("](charts/" + BacklogSection.CHART_FILE + ")"), md);
        assertTrue(Files.exists(dir.resolve("charts").resolve(BacklogSection.CHART_FILE)));
    }

    @Test
    void jsonRoundTrip() throws Exception {
        BacklogReport report = Fixtures.sweep(1);
        String json = BacklogJson.write(report);
        assertEquals(report, BacklogJson.read(json, BacklogReport.class));
        assertTrue(json.contains("\"schema\" : \"" + BacklogReport.SCHEMA + "\""), json);
        assertTrue(BacklogJson.tree(report).get("trials").isArray());
        assertEquals(report, BacklogJson.fromTree(BacklogJson.tree(report)), "through results.json's tree");
    }

    @Test
    void terminalTextGroupsClientsThatFaredAlike() {
        String text = BacklogText.render(Fixtures.sweep(1));
        assertTrue(text.contains("backlog 4"), text);
        // backlog 4: clients 1-5 queued, 6-9 waited
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("1-5 ")), text);
        assertTrue(text.lines().anyMatch(l -> l.trim().startsWith("6-9 ")), text);
        assertTrue(text.lines().allMatch(l -> l.length() <= 200), "no runaway lines");
    }
}
