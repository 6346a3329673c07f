package org.ipclab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlPageTest {

    @TempDir
    Path dir;

    private static final String SVG = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 4 4\"><rect id=\"r\" width=\"4\" height=\"4\"/></svg>";

    private String page(String markdown) throws IOException {
        Files.createDirectories(dir.resolve("charts"));
        Files.writeString(dir.resolve("charts/a.svg"), SVG);
        return HtmlPage.render(markdown, dir);
    }

    private static Document xml(String page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aChartLinkedAsAnImageIsDrawnInlineAndThePageIsWellFormedXhtml() throws Exception {
        String page = page("# Lab `tcp` record\n\nText & more <b>.\n\n![Latency of `tcp`](charts/a.svg)\n\n"
                + "| a | b |\n|---|--:|\n| 1 | 2 |\n");
        Document document = xml(page); // the PDF renderer parses the page as XML: it must be well-formed
        assertEquals("Lab tcp record", document.getElementsByTagName("title").item(0).getTextContent());
        NodeList svgs = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertEquals(1, svgs.getLength(), page);
        assertFalse(page.contains("<img"), "no chart is left as a link to a file");
        assertTrue(page.contains("aria-label=\"Latency of tcp\""), "the alt text becomes the figure's label");
        assertEquals(1, document.getElementsByTagName("table").getLength(), "GitHub tables are tables");
        assertFalse(page.contains("<link") || page.contains("<script") || page.contains("http://fonts"),
                "nothing is fetched: the style is inline");
        assertTrue(page.contains("<style>") && page.contains("@page"), "the style sheet, with the print rule, is inline");
        assertTrue(document.getDocumentElement().getTextContent().contains("Text & more <b>."),
                "raw HTML the report does not write itself shows as text, and the page stays well-formed");
    }

    @Test
    void theReportsOwnAnchorsAndFoldsPassAsHtml() throws Exception {
        String page = page("<a id=\"answer-1\"></a>\n\n## Answer 1\n\n<details>\n<summary>Every client &lt;5&gt;</summary>\n\n"
                + "Text.\n\n</details>\n\nA&nbsp;b and <span onclick=\"x\">y</span>\n");
        Document document = xml(page);
        assertEquals("answer-1", ((Element) document.getElementsByTagName("a").item(0)).getAttribute("id"));
        assertEquals(1, document.getElementsByTagName("details").getLength());
        assertEquals("Every client <5>", document.getElementsByTagName("summary").item(0).getTextContent());
        assertEquals(0, document.getElementsByTagName("span").getLength(), "an unknown tag is not passed: " + page);
    }

    @Test
    void linksBetweenTheReportsFilesGoToTheirHtmlTwins() throws Exception {
        String page = page("See [the appendix](APPENDIX.md#answer-1-evidence), [the record](REPORT.md), "
                + "[a site](https://example.org/x.md) and [a file](notes.txt).\n");
        Document document = xml(page);
        NodeList links = document.getElementsByTagName("a");
        assertEquals("APPENDIX.html#answer-1-evidence", ((Element) links.item(0)).getAttribute("href"));
        assertEquals("REPORT.html", ((Element) links.item(1)).getAttribute("href"));
        assertEquals("https://example.org/x.md", ((Element) links.item(2)).getAttribute("href"), "other sites stay");
        assertEquals("notes.txt", ((Element) links.item(3)).getAttribute("href"));
    }

    @Test
    void aMissingChartIsOneClearError() throws IOException {
        IOException e = assertThrows(IOException.class, () -> page("![x](charts/missing.svg)\n"));
        assertTrue(e.getMessage().contains("charts/missing.svg") && e.getMessage().contains("render the report again"),
                e.getMessage());
    }
}
