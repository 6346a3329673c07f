package org.ipclab.report.chart;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.jfree.svg.ViewBox;

/**
 * Draws charts into SVG files under {@code <report dir>/charts/} (JFreeChart onto JFreeSVG's Graphics2D) and
 * hands back the relative link REPORT.md uses: GitHub and browsers show {@code ![..](charts/x.svg)} as an image.
 * The files are deterministic (fixed ids, two decimals), so re-rendering the same results gives the same bytes.
 */
public final class ChartWriter {

    /** The folder under the report directory that holds the charts. */
    public static final String CHARTS_DIR = "charts";

    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.svg");

    static {
        // JFreeChart draws rotated text (the vertical axis label) through TextLayout by default, which JFreeSVG
        // can only emit as glyph outlines; drawn with drawString it stays a <text> element: smaller, searchable.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private final Path reportDir;
    private final List<Path> written = new ArrayList<>();

    public ChartWriter(Path reportDir) {
        this.reportDir = reportDir;
    }

    /**
     * Writes {@code chart} to {@code charts/<fileName>} at the house size and returns the link relative to the
     * report directory, e.g. {@code charts/latency-same-cpu.svg}.
     *
     * @param fileName lower-case letters, digits, '-' and '.', ending in ".svg"
     */
    public String write(String fileName, JFreeChart chart) throws IOException {
        return write(fileName, chart, ChartStyle.WIDTH, ChartStyle.HEIGHT);
    }

    /** As {@link #write(String, JFreeChart)} at another size (pixels). */
    public String write(String fileName, JFreeChart chart, int width, int height) throws IOException {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("chart file name '" + fileName
                    + "' must be lower-case letters, digits, '-' and '.', ending in .svg");
        }
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        g2.setDefsKeyPrefix(fileName.substring(0, fileName.length() - ".svg".length()) + "-");
        g2.setGeomDoubleConverter(SVGUtils.createDoubleConverter(2));
        g2.setTransformDoubleConverter(SVGUtils.createDoubleConverter(4));
        chart.draw(g2, new Rectangle(0, 0, width, height));
        return writeSvg(fileName, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + g2.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null) + "\n");
    }

    /**
     * Writes an SVG document drawn elsewhere (a PlantUML diagram) to {@code charts/<fileName>} and returns its link,
     * as {@link #write(String, JFreeChart)} does.
     */
    public String writeSvg(String fileName, String svg) throws IOException {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("chart file name '" + fileName
                    + "' must be lower-case letters, digits, '-' and '.', ending in .svg");
        }
        Path dir = reportDir.resolve(CHARTS_DIR);
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("could not write the chart " + file + " (" + e
                    + "): check that the report directory is writable", e);
        }
        written.add(file);
        return CHARTS_DIR + "/" + fileName;
    }

    /** Every file written so far, in order. */
    public List<Path> written() {
        return List.copyOf(written);
    }
}
