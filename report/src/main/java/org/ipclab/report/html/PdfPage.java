package org.ipclab.report.html;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLog;

/**
 * An {@link HtmlPage} printed to PDF in pure Java, no browser: openhtmltopdf lays the XHTML out on A4 pages (the
 * style sheet's {@code @page} rule gives the size, margins and "page N of M"), Batik draws each inline SVG as
 * vectors, and PDFBox writes the file. Fonts are embedded, so the PDF prints the same anywhere: DejaVu from the
 * system (Debian's fonts-dejavu-core) when it is there, otherwise the PDF's own base fonts, which lack some of the
 * report's characters (µ stays, ≤ and → become #).
 */
public final class PdfPage {

    /** Where Debian puts DejaVu; the report's style sheet asks for these families. */
    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");

    // Held here: java.util.logging keeps loggers only weakly, and a collected one forgets its level.
    private static final Logger PDFBOX = Logger.getLogger("org.apache.pdfbox");
    private static final Logger FONTBOX = Logger.getLogger("org.apache.fontbox");

    private PdfPage() {
    }

    /** True when the PDF embeds DejaVu; false when it falls back to the PDF base fonts. */
    public static boolean hasFonts() {
        return Files.isRegularFile(DEJAVU.resolve("DejaVuSans.ttf"));
    }

    /**
     * Writes {@code xhtml} (an {@link HtmlPage}) as a PDF to {@code pdf}; relative links resolve against the PDF's
     * folder.
     *
     * @throws IOException with what went wrong and what to do
     */
    public static void write(String xhtml, Path pdf) throws IOException {
        quietLibraries();
        List<String> errors = new ArrayList<>();
        PdfRendererBuilder builder = new PdfRendererBuilder()
                .useFastMode()
                .useSVGDrawer(new BatikSVGDrawer())
                .withProducer("ipc-lab")
                // openhtmltopdf reports what it could not lay out through this consumer instead of java.util.logging.
                .withDiagnosticConsumer(d -> collect(d, errors))
                .withHtmlContent(xhtml, pdf.toAbsolutePath().getParent().toUri().toString());
        if (hasFonts()) {
            font(builder, "DejaVu Sans", "DejaVuSans.ttf", 400, FontStyle.NORMAL);
            font(builder, "DejaVu Sans", "DejaVuSans-Bold.ttf", 700, FontStyle.NORMAL);
            font(builder, "DejaVu Sans", "DejaVuSans-Oblique.ttf", 400, FontStyle.ITALIC);
            font(builder, "DejaVu Sans", "DejaVuSans-BoldOblique.ttf", 700, FontStyle.ITALIC);
            font(builder, "DejaVu Sans Mono", "DejaVuSansMono.ttf", 400, FontStyle.NORMAL);
            font(builder, "DejaVu Sans Mono", "DejaVuSansMono-Bold.ttf", 700, FontStyle.NORMAL);
        }
        Path partial = pdf.resolveSibling(pdf.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial)) {
            builder.toStream(out).run();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw new IOException("could not write " + pdf + " (" + e.getMessage()
                    + (errors.isEmpty() ? "" : "; " + errors.get(0)) + "): REPORT.md and REPORT.html are complete", e);
        }
        // Written beside, then renamed: a reader never sees half a PDF.
        Files.move(partial, pdf, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void font(PdfRendererBuilder builder, String family, String file, int weight, FontStyle style) {
        Path ttf = DEJAVU.resolve(file);
        if (Files.isRegularFile(ttf)) {
            builder.useFont(ttf.toFile(), family, weight, style, true); // subset: only the glyphs used are embedded
        }
    }

    private static void collect(Diagnostic diagnostic, List<String> errors) {
        if (diagnostic.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(diagnostic.getFormattedMessage());
        }
    }

    /** openhtmltopdf and PDFBox log font and CSS chatter to stderr through java.util.logging; the report says nothing. */
    private static void quietLibraries() {
        XRLog.setLoggingEnabled(false);
        PDFBOX.setLevel(Level.SEVERE);
        FONTBOX.setLevel(Level.SEVERE);
        // PDFBox logs through commons-logging, which goes to slf4j when the application carries it (slf4j-simple
        // reads a logger's level from the system properties when the logger is made, which is after this).
        for (String library : new String[] {"org.apache.pdfbox", "org.apache.fontbox"}) {
            String key = "org.slf4j.simpleLogger.log." + library;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }
}
