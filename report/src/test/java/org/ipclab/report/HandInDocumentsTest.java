package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.ipclab.report.html.PdfPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * REPORT.html and REPORT.pdf as their readers get them: the HTML opened by a real browser (headless Chromium,
 * which {@code .ci/run} installs), the PDF read back by PDFBox.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandInDocumentsTest {

    /** The record's sections, in the lab template's order. */
    static final List<String> SECTIONS = List.of("Aim", "Objective", "Algorithm and flowchart", "Program", "Results",
            "Analysis", "Conclusion", "Comments", "Viva");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\\bid=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static ReportWriter.Written written;

    @BeforeAll
    static void writeTheSixTransportReport() throws IOException {
        written = ReportWriter.write(ResultsFixture.allSix().build(), dir);
    }

    @Test
    void aBrowserDrawsEveryChartAndDiagramAsSvgAndNoDiagramSourceShows() throws Exception {
        String record = browserDom(written.reportHtml());
        String appendix = browserDom(written.appendixHtml());
        check(record, Files.readString(written.report()), "REPORT.html");
        check(appendix, Files.readString(written.appendix()), "APPENDIX.html");
        // Every link inside the pages lands on an element the browser has: ids survive the Markdown renderer.
        Set<String> recordIds = ids(record);
        Set<String> appendixIds = ids(appendix);
        for (String[] page : new String[][] {{"REPORT.html", record}, {"APPENDIX.html", appendix}}) {
            Matcher href = HREF.matcher(page[1]);
            while (href.find()) {
                String target = href.group(1).replace("&amp;", "&");
                int hash = target.indexOf('#');
                if (target.contains(":") || hash < 0) {
                    assertFalse(target.endsWith(".md"), page[0] + " links a Markdown file: " + target);
                    continue;
                }
                String file = hash == 0 ? page[0] : target.substring(0, hash);
                Set<String> in = file.equals("REPORT.html") ? recordIds : file.equals("APPENDIX.html") ? appendixIds : null;
                assertTrue(in != null && in.contains(target.substring(hash + 1)), page[0] + " links " + target
                        + ", which is not there");
            }
        }
    }

    private static void check(String dom, String markdown, String page) {
        int images = 0;
        Matcher image = IMAGE.matcher(markdown);
        while (image.find()) {
            images++;
        }
        assertTrue(images > 0, page + ": the fixture's Markdown shows charts");
        assertEquals(images, count(dom, "<svg"), page + ": every chart and diagram is an inline svg element");
        assertEquals(0, count(dom, "<img"), page + ": no chart left as an image link");
        String text = dom.replaceAll("(?s)<svg.*?</svg>", "").replaceAll("<[^>]+>", " ");
        for (String source : List.of("@startuml", "@enduml", "sequenceDiagram", "```", "mermaid", "![")) {
            assertFalse(text.contains(source), page + " shows diagram or Markdown source as text: " + source);
        }
    }

    @Test
    void thePdfIsA4WithPageNumbersAndTheSectionsInTheLabsOrder() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(written.pdf().toFile())) {
            int pages = pdf.getNumberOfPages();
            assertTrue(pages >= 3, "at least three pages, not " + pages);
            for (PDPage page : pdf.getPages()) {
                PDRectangle box = page.getMediaBox();
                assertEquals(PDRectangle.A4.getWidth(), box.getWidth(), 1.0f, "A4 width");
                assertEquals(PDRectangle.A4.getHeight(), box.getHeight(), 1.0f, "A4 height");
            }
            String text = new PDFTextStripper().getText(pdf);
            int at = -1;
            for (String section : SECTIONS) {
                int next = text.indexOf("\n" + section + "\n", at + 1);
                assertTrue(next > at, section + " comes after the section before it, in the PDF's text");
                at = next;
            }
            assertTrue(text.contains("page 1 of " + pages) && text.contains("page " + pages + " of " + pages),
                    "every page is numbered, page N of M");
            assertTrue(text.contains("µs"), "the micro sign is drawn, not replaced");
            for (PDPage page : pdf.getPages()) {
                assertNoRasterImages(page.getResources());
            }
            assertFontsEmbedded(pdf);
        }
    }

    /** Charts are vectors: no page holds a bitmap, at any depth of its form objects. */
    private static void assertNoRasterImages(PDResources resources) throws IOException {
        if (resources == null) {
            return;
        }
        for (COSName name : resources.getXObjectNames()) {
            var object = resources.getXObject(name);
            assertFalse(object instanceof PDImageXObject, "a chart was drawn as a bitmap");
            if (object instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form) {
                assertNoRasterImages(form.getResources());
            }
        }
    }

    private static void assertFontsEmbedded(PDDocument pdf) throws IOException {
        assumeTrue(PdfPage.hasFonts(), "DejaVu is not installed (apt-get install fonts-dejavu-core, as .ci/run does):"
                + " the PDF falls back to the viewer's base fonts, so embedding is not checked");
        for (PDPage page : pdf.getPages()) {
            for (COSName name : page.getResources().getFontNames()) {
                PDFont font = page.getResources().getFont(name);
                assertTrue(font.isEmbedded(), font.getName() + " is embedded, so the PDF prints the same anywhere");
            }
        }
    }

    /** The DOM after a real browser parsed the page: Chromium's --dump-dom. */
    private static String browserDom(Path html) throws Exception {
        Path chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium here (apt-get install chromium, as .ci/run does): the pages are"
                + " not opened in a browser by this run");
        Path profile = Files.createTempDirectory("ipclab-chromium-");
        Path out = profile.resolve("dom.html");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue(browser.waitFor(60, TimeUnit.SECONDS), "Chromium did not finish within 60 s");
            assertEquals(0, browser.exitValue(), "Chromium's exit code");
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            deleteTree(profile);
        }
    }

    private static Set<String> ids(String dom) {
        Set<String> ids = new HashSet<>();
        Matcher id = ID.matcher(dom);
        while (id.find()) {
            ids.add(id.group(1));
        }
        return ids;
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(paths.get(i));
        }
    }
}
