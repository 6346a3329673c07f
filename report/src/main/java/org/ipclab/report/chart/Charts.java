package org.ipclab.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Stroke;
import java.util.List;
import java.util.function.Function;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The few chart shapes the report needs, each colouring by transport ({@link TransportPalette}) and styled by
 * {@link ChartStyle}. They take plain values, not the results model, so other report sections (the backlog
 * answer) can use them too. A {@code null} value is a gap: nothing was measured there.
 */
public final class Charts {

    private static final Stroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {6f, 4f}, 0f);
    private static final double[] GROUP_TINTS = {0.0, 0.5, 0.75, 0.85};
    private static final Color LEGEND_GREY = new Color(0x555555);
    private static final Stroke MARKER = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {8f, 4f}, 0f);

    private Charts() {
    }

    /** One line of a line chart: the values of one transport per category; dashed lines are secondary. */
    public record Line(String transport, String label, List<Double> values, boolean dashed, boolean inLegend) {
    }

    /** One transport's bars, one value per category. */
    public record Bars(String transport, List<Double> values) {
    }

    /** One bar per category in the colour of that category's transport (e.g. set-up cost per transport). */
    public record Bar(String transport, String label, double value) {
    }

    /** Client and server CPU time of one round trip, and its wall time (any one unit). */
    public record CpuBar(String transport, String label, double client, double server, double wall) {
    }

    /**
     * Lines over categories (e.g. message sizes), on a logarithmic value axis when {@code logScale}.
     */
    public static JFreeChart lines(TransportPalette palette, String title, String subtitle, String categoryLabel,
                                   String valueLabel, List<String> categories, List<Line> lines, boolean logScale) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (Line line : lines) {
            for (int i = 0; i < categories.size(); i++) {
                dataset.addValue(positiveOrNull(line.values().get(i), logScale), line.label(), categories.get(i));
            }
        }
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        for (int s = 0; s < lines.size(); s++) {
            Line line = lines.get(s);
            Color colour = palette.colour(line.transport());
            renderer.setSeriesPaint(s, colour);
            renderer.setSeriesShape(s, palette.shape(line.transport()));
            renderer.setSeriesStroke(s, line.dashed() ? DASHED : SOLID);
            renderer.setSeriesShapesFilled(s, !line.dashed());
            renderer.setSeriesShapesVisible(s, !line.dashed());
            renderer.setSeriesVisibleInLegend(s, line.inLegend());
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis(categoryLabel),
                valueAxis(valueLabel, logScale), renderer);
        return chart(title, subtitle, plot, true);
    }

    /** Bars grouped by category, one colour per transport (e.g. throughput per placement). */
    public static JFreeChart groupedBars(TransportPalette palette, String title, String subtitle, String categoryLabel,
                                         String valueLabel, List<String> categories, List<Bars> bars,
                                         boolean logScale) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (Bars series : bars) {
            for (int i = 0; i < categories.size(); i++) {
                dataset.addValue(positiveOrNull(series.values().get(i), logScale), series.transport(),
                        categories.get(i));
            }
        }
        BarRenderer renderer = new BarRenderer();
        renderer.setItemMargin(0.05);
        renderer.setIncludeBaseInRange(!logScale);
        for (int s = 0; s < bars.size(); s++) {
            renderer.setSeriesPaint(s, palette.colour(bars.get(s).transport()));
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis(categoryLabel),
                valueAxis(valueLabel, logScale), renderer);
        return chart(title, subtitle, plot, true);
    }

    /**
     * One group of bars per transport, in the transport's colour, one shade per group (e.g. same CPU, different
     * CPUs, unpinned): darkest first. {@code values.get(g).get(t)} is group g of transport t.
     *
     * @param itemLabel text above bar (g, t), or null for none
     */
    public static JFreeChart shadedGroups(TransportPalette palette, String title, String subtitle, String valueLabel,
                                          List<String> transports, List<String> groups, List<List<Double>> values,
                                          ItemLabel itemLabel, boolean logScale) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (int g = 0; g < groups.size(); g++) {
            for (int t = 0; t < transports.size(); t++) {
                dataset.addValue(positiveOrNull(values.get(g).get(t), logScale), groups.get(g), transports.get(t));
            }
        }
        BarRenderer renderer = new BarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return shade(palette, transports.get(column), row);
            }
        };
        renderer.setItemMargin(0.04);
        renderer.setIncludeBaseInRange(!logScale);
        if (itemLabel != null) {
            renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator() {
                private static final long serialVersionUID = 1L;

                @Override
                public String generateLabel(org.jfree.data.category.CategoryDataset data, int row, int column) {
                    return itemLabel.text(row, column);
                }
            });
            renderer.setDefaultItemLabelsVisible(true);
            renderer.setDefaultPositiveItemLabelPosition(
                    new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("transport"),
                valueAxis(valueLabel, logScale), renderer);
        LegendItemCollection legend = new LegendItemCollection();
        for (int g = 0; g < groups.size(); g++) {
            legend.add(new LegendItem(groups.get(g) + (g == 0 ? " (darkest)" : g == groups.size() - 1
                    ? " (lightest)" : " (lighter)"), TransportPalette.tint(LEGEND_GREY, GROUP_TINTS[g])));
        }
        plot.setFixedLegendItems(legend);
        return chart(title, subtitle, plot, true);
    }

    /** The label of one bar of {@link #shadedGroups}. */
    @FunctionalInterface
    public interface ItemLabel {
        String text(int group, int transport);
    }

    /** Horizontal bars, one per category, coloured by transport, each labelled with its value. */
    public static JFreeChart horizontalBars(TransportPalette palette, String title, String subtitle, String valueLabel,
                                            List<Bar> bars, Function<Double, String> valueText, boolean logScale) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (Bar bar : bars) {
            dataset.addValue(positiveOrNull(bar.value(), logScale), "value", bar.label());
        }
        BarRenderer renderer = new BarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return palette.colour(bars.get(column).transport());
            }
        };
        renderer.setIncludeBaseInRange(!logScale);
        renderer.setMaximumBarWidth(0.12);
        renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator() {
            private static final long serialVersionUID = 1L;

            @Override
            public String generateLabel(org.jfree.data.category.CategoryDataset data, int row, int column) {
                return valueText.apply(bars.get(column).value());
            }
        });
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        CategoryAxis categories = new CategoryAxis(null);
        CategoryPlot plot = new CategoryPlot(dataset, categories, valueAxis(valueLabel, logScale), renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.getRangeAxis().setUpperMargin(logScale ? 0.25 : 0.15);
        plot.setFixedLegendItems(transportLegend(palette, bars.stream().map(Bar::transport).distinct().toList()));
        JFreeChart chart = chart(title, subtitle, plot, true);
        categories.setMaximumCategoryLabelWidthRatio(0.45f);
        categories.setMaximumCategoryLabelLines(2);
        return chart;
    }

    /**
     * Client and server CPU time per round trip as a share of the round trip's wall time, stacked (server
     * lighter), with a line at 100 %: one CPU busy for the whole round trip. A side that sleeps while it waits
     * stays far below it; two sides that spin reach about 200 %.
     */
    public static JFreeChart cpuShares(TransportPalette palette, String title, String subtitle, List<CpuBar> bars) {
        DefaultCategoryDataset cpu = new DefaultCategoryDataset();
        for (CpuBar bar : bars) {
            cpu.addValue(100 * bar.client() / bar.wall(), "client CPU", bar.label());
            cpu.addValue(100 * bar.server() / bar.wall(), "server CPU", bar.label());
        }
        StackedBarRenderer stacked = new StackedBarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return shade(palette, bars.get(column).transport(), row);
            }
        };
        stacked.setMaximumBarWidth(0.14);
        CategoryAxis categories = new CategoryAxis("transport");
        NumberAxis percent = new NumberAxis("CPU time ÷ wall time of a round trip (%)");
        percent.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(cpu, categories, percent, stacked);
        ValueMarker oneCpu = new ValueMarker(100, Color.BLACK, MARKER);
        oneCpu.setLabel("100 %: one CPU busy for the whole round trip");
        oneCpu.setLabelFont(ChartStyle.ITEM_LABEL);
        oneCpu.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        oneCpu.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        oneCpu.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(oneCpu);
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(new LegendItem("client CPU (darker)", LEGEND_GREY));
        legend.add(new LegendItem("server CPU (lighter)", TransportPalette.tint(LEGEND_GREY, GROUP_TINTS[1])));
        plot.setFixedLegendItems(legend);
        JFreeChart chart = chart(title, subtitle, plot, true);
        percent.setUpperMargin(0.12);
        percent.setLowerBound(0);
        percent.setUpperBound(Math.max(bars.stream()
                .mapToDouble(b -> 100 * (b.client() + b.server()) / b.wall()).max().orElse(100) * 1.12, 125));
        if (bars.size() > 6) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return chart;
    }

    /** The legend of a chart coloured by transport: one square per transport. */
    public static LegendItemCollection transportLegend(TransportPalette palette, List<String> transports) {
        LegendItemCollection legend = new LegendItemCollection();
        for (String transport : transports) {
            legend.add(new LegendItem(transport, palette.colour(transport)));
        }
        return legend;
    }

    private static Color shade(TransportPalette palette, String transport, int group) {
        return TransportPalette.tint(palette.colour(transport),
                GROUP_TINTS[Math.min(group, GROUP_TINTS.length - 1)]);
    }

    private static ValueAxis valueAxis(String label, boolean logScale) {
        if (logScale) {
            return ChartStyle.logAxis(label);
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }

    private static Double positiveOrNull(Double value, boolean logScale) {
        if (value == null || value.isNaN() || (logScale && value <= 0)) {
            return null;
        }
        return value;
    }

    private static JFreeChart chart(String title, String subtitle, CategoryPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, legend);
        if (subtitle != null && !subtitle.isBlank()) {
            chart.addSubtitle(0, new TextTitle(subtitle));
        }
        return ChartStyle.apply(chart);
    }
}
