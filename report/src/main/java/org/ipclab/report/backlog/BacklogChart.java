package org.ipclab.report.backlog;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The sweep as an SVG line chart: for each backlog B, the clients requested and the clients connected while
 * the server was not accepting (one line per arrival pattern), with the kernel's measured rule for reference.
 */
public final class BacklogChart {

    public static final int WIDTH = 760;
    public static final int HEIGHT = 440;

    private BacklogChart() {
    }

    /** Writes the chart as SVG to {@code file}. */
    public static void write(BacklogReport report, Path file) throws IOException {
        JFreeChart chart = chart(report);
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, g2.getSVGDocument(), StandardCharsets.UTF_8);
    }

    static JFreeChart chart(BacklogReport report) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries requested = new XYSeries("clients requested (N)");
        Map<Arrival, XYSeries> connected = new LinkedHashMap<>();
        for (BacklogTrial t : report.trials()) {
            requested.addOrUpdate(t.backlog(), t.clients());
            connected.computeIfAbsent(t.arrival(), a -> new XYSeries("connected while not accepting, clients "
                    + a.label())).addOrUpdate(t.backlog(), t.summary().connected());
        }
        data.addSeries(requested);
        connected.values().forEach(data::addSeries);
        BacklogFindings findings = new BacklogFindings(report);
        Integer offset = findings.queueRuleOffset();
        int c = offset != null ? offset : 1;
        XYSeries rule = new XYSeries(offset != null ? "kernel rule measured here: y = " + findings.queueRule()
                : "y = B+1 (the expected Linux rule; this run did not measure one rule)");
        for (BacklogTrial t : report.trials()) {
            rule.addOrUpdate(t.backlog(), Math.min(t.effectiveBacklog(), Integer.MAX_VALUE - c) + c);
        }
        data.addSeries(rule);

        JFreeChart chart = ChartFactory.createXYLineChart(
                "listen() backlog: clients connected before the server accepts (Linux " + report.kernel() + ")",
                "backlog B passed to listen()", "clients", data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(14f));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        List<Color> colors = List.of(new Color(0x888888), new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C));
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean isRule = i == data.getSeriesCount() - 1;
            renderer.setSeriesPaint(i, isRule ? new Color(0xD62728) : colors.get(Math.min(i, colors.size() - 1)));
            renderer.setSeriesStroke(i, isRule
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, !isRule);
        }
        plot.setRenderer(renderer);
        return chart;
    }
}
