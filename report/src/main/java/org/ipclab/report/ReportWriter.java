package org.ipclab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.html.HtmlPage;
import org.ipclab.report.html.PdfPage;
import org.ipclab.report.model.Results;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Writes the lab report of one {@code ./ipc-lab compare} run: {@code REPORT.md} (the lab record, in the lab
 * template's order), {@code APPENDIX.md} (every table, chart and piece of evidence the record leaves out),
 * {@code results.json} (the {@link Results} model as is), SVG charts in {@code charts/}, and the two documents again as
 * self-contained {@code REPORT.html} and {@code APPENDIX.html} and the record as {@code REPORT.pdf}. {@link #rerender} renders again from a saved
 * results.json, which is what {@code ./ipc-lab report results.json [--out DIR]} does.
 *
 * <pre>{@code
 * ReportWriter.Written written = ReportWriter.write(results, Path.of("ipc-lab-report"));
 * System.out.println("Report: " + written.report());
 * }</pre>
 *
 * The report never measures anything: every number in it is read from the {@link Results}.
 */
public final class ReportWriter {

    public static final String REPORT_FILE = "REPORT.md";
    public static final String APPENDIX_FILE = Appendix.FILE;
    public static final String RESULTS_FILE = "results.json";
    public static final String REPORT_HTML = "REPORT.html";
    public static final String APPENDIX_HTML = "APPENDIX.html";
    public static final String REPORT_PDF = "REPORT.pdf";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * What was written, as paths under the output directory: the record and its appendix in Markdown and as
     * self-contained HTML, the record as a PDF to hand in, the results and every chart.
     */
    public record Written(Path report, Path appendix, Path results, List<Path> charts, Path reportHtml,
            Path appendixHtml, Path pdf) {

        /** The line the commands print after the report's path: where its browser page and its PDF are. */
        public String pagesLine() {
            return "To read in a browser or hand in: " + reportHtml.toAbsolutePath() + ", " + pdf.toAbsolutePath();
        }
    }

    /** The two Markdown documents of one report. */
    record Rendered(String report, String appendix) {
    }

    private ReportWriter() {
    }

    /** Writes the report with the installed {@link Question2Renderer} (see {@link Question2Renderer#installed()}). */
    public static Written write(Results results, Path outDir) throws IOException {
        return write(results, outDir, Question2Renderer.installed());
    }

    /**
     * Writes REPORT.md, APPENDIX.md, their .html twins, REPORT.pdf, results.json and charts/*.svg into {@code outDir} (created if missing). SVG files already
     * in {@code outDir/charts} are deleted first, so the folder holds exactly the charts REPORT.md links. Results
     * without descriptors (an older results.json) get them from the installed {@link DescriptorCatalog}.
     */
    public static Written write(Results given, Path outDir, Question2Renderer question2) throws IOException {
        Results results = DescriptorCatalog.complete(given, DescriptorCatalog.installed());
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IOException("could not create the report directory " + outDir + " (" + e
                    + "): choose another one with --out", e);
        }
        deleteOldCharts(outDir.resolve(ChartWriter.CHARTS_DIR));
        ChartWriter charts = new ChartWriter(outDir);
        Rendered markdown;
        try {
            markdown = render(results, charts, question2);
        } catch (IllegalArgumentException e) {
            throw new IOException("could not render the report: " + e.getMessage()
                    + "; the results hold a value the report cannot read", e);
        }
        Path report = outDir.resolve(REPORT_FILE);
        Path appendix = outDir.resolve(APPENDIX_FILE);
        Path json = outDir.resolve(RESULTS_FILE);
        writeJson(results, json);
        Files.writeString(report, markdown.report(), StandardCharsets.UTF_8);
        Files.writeString(appendix, markdown.appendix(), StandardCharsets.UTF_8);
        // The same Markdown as pages a browser opens offline (charts inline) and as the PDF a student hands in.
        String recordPage = HtmlPage.render(markdown.report(), outDir);
        Path reportHtml = outDir.resolve(REPORT_HTML);
        Path appendixHtml = outDir.resolve(APPENDIX_HTML);
        Path pdf = outDir.resolve(REPORT_PDF);
        Files.writeString(reportHtml, recordPage, StandardCharsets.UTF_8);
        Files.writeString(appendixHtml, HtmlPage.render(markdown.appendix(), outDir), StandardCharsets.UTF_8);
        PdfPage.write(recordPage, pdf);
        return new Written(report, appendix, json, charts.written(), reportHtml, appendixHtml, pdf);
    }

    /**
     * The Markdown of the record and of its appendix; charts are written through {@code charts}. The appendix is
     * rendered first, as it draws every chart; the record then links the few it shows.
     */
    static Rendered render(Results results, ChartWriter charts, Question2Renderer question2) throws IOException {
        Measurements m = new Measurements(results);
        AnalysisSection analysis = new AnalysisSection(m, charts, question2);
        String appendix = Appendix.render(m, charts, analysis);
        Markdown md = new Markdown();
        new OpeningSections(m, md, charts).render();
        new ProgramSection(m, md).render();
        new KeyResultsSection(m, md, charts).render();
        analysis.record(md);
        md.heading(2, "Conclusion");
        md.raw(Conclusion.prose(results, question2));
        new CommentsSection(m, md).render();
        new VivaSection(m, md).render();
        Glossary.render(md, md.toString());
        return new Rendered(md.toString(), appendix);
    }

    /** Writes {@code results} as pretty-printed JSON. */
    public static void writeJson(Results results, Path file) throws IOException {
        try {
            JSON.writeValue(file.toFile(), results);
        } catch (IOException e) {
            throw new IOException("could not write " + file + " (" + e.getMessage()
                    + "): check that the directory is writable", e);
        }
    }

    /**
     * Loads a results.json written by {@link #write}.
     *
     * @throws IOException with a message that says what is wrong with the file and what to do
     */
    public static Results read(Path resultsJson) throws IOException {
        Results results;
        try {
            results = JSON.readValue(resultsJson.toFile(), Results.class);
        } catch (JacksonException e) {
            throw new IOException(resultsJson + " is not a results.json ipc-lab can read ("
                    + e.getOriginalMessage() + "); give the results.json that ./ipc-lab compare wrote", e);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException("no results file at " + resultsJson
                    + ": give the path of a results.json that ./ipc-lab compare wrote", e);
        }
        if (results == null) {
            throw new IOException(resultsJson + " is empty: give the results.json that ./ipc-lab compare wrote");
        }
        if (!Results.SCHEMA.equals(results.schema())) {
            throw new IOException(resultsJson + " has schema " + (results.schema() == null ? "(none)"
                    : "'" + results.schema() + "'") + " but this ipc-lab reads '" + Results.SCHEMA
                    + "': run ./ipc-lab compare again to produce a current one");
        }
        return results;
    }

    /**
     * Renders the report again from a saved results.json: {@code ./ipc-lab report results.json [--out DIR]}.
     *
     * @param outDir where to write; null means the folder that holds {@code resultsJson}. Writing there
     *               rewrites results.json with the same content.
     */
    public static Written rerender(Path resultsJson, Path outDir) throws IOException {
        Results results = read(resultsJson);
        Path target = outDir != null ? outDir : resultsJson.toAbsolutePath().getParent();
        return write(results, target);
    }

    private static void deleteOldCharts(Path chartsDir) throws IOException {
        if (!Files.isDirectory(chartsDir)) {
            return;
        }
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> svgs = Files.newDirectoryStream(chartsDir, "*.svg")) {
            svgs.forEach(old::add);
        }
        for (Path svg : old) {
            Files.deleteIfExists(svg);
        }
    }
}
