package org.ipclab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InlineSvgTest {

    private static final String PLANTUML_LIKE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><defs><clipPath id=\"clip-1\"/></defs>"
            + "<g id=\"part1\"/><g id=\"part1-head\" clip-path=\"url(#clip-1)\"/><use href=\"#part1\"/>"
            + "<text>id=\"part1\" in text stays</text></svg>";

    @Test
    void everyIdAndEveryReferenceToItGetsThePrefix() {
        String inline = InlineSvg.of(PLANTUML_LIKE, "f7-");
        assertTrue(inline.startsWith("<svg"), "the XML declaration may only open a file: " + inline);
        assertTrue(inline.contains("id=\"f7-clip-1\""));
        assertTrue(inline.contains("url(#f7-clip-1)"));
        assertTrue(inline.contains("id=\"f7-part1\""));
        assertTrue(inline.contains("id=\"f7-part1-head\""), "a longer id that starts like a shorter one: " + inline);
        assertTrue(inline.contains("href=\"#f7-part1\""));
        assertFalse(inline.contains("f7-f7-"), "nothing is prefixed twice");
        assertTrue(inline.contains("viewBox=\"0 0 10 10\""), "the page scales the drawing by its viewBox");
    }

    @Test
    void twoCopiesOfOneDrawingShareNoId() {
        String a = InlineSvg.of(PLANTUML_LIKE, "f1-");
        String b = InlineSvg.of(PLANTUML_LIKE, "f2-");
        assertFalse(a.contains("id=\"f2-") || b.contains("id=\"f1-"));
        assertEquals(a.replace("f1-", ""), b.replace("f2-", ""), "the same drawing apart from the prefix");
    }

    @Test
    void somethingThatIsNotAnSvgIsRefusedWithWhatItStartsWith() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InlineSvg.of("<html><body/></html>", "f1-"));
        assertTrue(e.getMessage().contains("<html>"), e.getMessage());
    }
}
