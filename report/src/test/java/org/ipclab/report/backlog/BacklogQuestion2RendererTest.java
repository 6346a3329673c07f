package org.ipclab.report.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ipclab.report.Question2Renderer;
import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The report finds this renderer and writes Answer 2 from results.json's backlog tree. */
@Timeout(60)
class BacklogQuestion2RendererTest {

    @TempDir
    Path dir;

    private static Results results(BacklogReport backlog) {
        return new Results(Results.SCHEMA, null, null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), backlog == null ? null : BacklogJson.tree(backlog), List.of(), List.of());
    }

    @Test
    void isTheInstalledRenderer() {
        assertEquals(BacklogQuestion2Renderer.class, Question2Renderer.installed().getClass());
    }

    @Test
    void rendersTheBodyWithItsChartUnderTheReportsCharts() throws Exception {
        String md = new BacklogQuestion2Renderer().render(results(Fixtures.sweep(1)), new ChartWriter(dir));
        assertTrue(md.contains("](charts/" + BacklogQuestion2Renderer.CHART_FILE + ")"), md);
        assertTrue(Files.size(dir.resolve("charts").resolve(BacklogQuestion2Renderer.CHART_FILE)) > 1000);
        assertTrue(md.contains("#### The sweep"), "sub-headings sit under the report's ### Answer 2");
        assertFalse(md.contains("## Question 2"), "the report writes the heading");
        assertTrue(new BacklogQuestion2Renderer().conclusion(results(Fixtures.sweep(1))).contains("B+1"));
    }

    @Test
    void withoutABacklogResultItSaysSo() throws Exception {
        String md = new BacklogQuestion2Renderer().render(results(null), new ChartWriter(dir));
        assertTrue(md.contains("did not run"), md);
    }
}
