package org.ipclab.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The look shared by every chart of the report: white background, readable fonts, light grid, legend at the
 * bottom, flat bars. Charts are drawn at {@link #WIDTH}×{@link #HEIGHT}, which GitHub shows at full width.
 */
public final class ChartStyle {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font ITEM_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color GRID = new Color(0xDDDDDD);
    static final Color TEXT = new Color(0x222222);

    private ChartStyle() {
    }

    /** Applies the house look to a chart made by {@code ChartFactory} or by hand. */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
            chart.getTitle().setPaint(TEXT);
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title subtitle = chart.getSubtitle(i);
            if (subtitle instanceof TextTitle text) {
                text.setFont(SUBTITLE);
                text.setPaint(TEXT);
            } else if (subtitle instanceof LegendTitle legend) {
                legend.setItemFont(LEGEND);
                legend.setItemPaint(TEXT);
                legend.setFrame(BlockBorder.NONE);
                legend.setBackgroundPaint(Color.WHITE);
                legend.setPosition(RectangleEdge.BOTTOM);
            }
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(GRID);
        if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(GRID);
            category.setRangeGridlineStroke(new BasicStroke(1f));
            category.setRangeMinorGridlinesVisible(category.getRangeAxis() instanceof LogAxis);
            category.setRangeMinorGridlinePaint(new Color(0xF0F0F0));
            category.setDomainGridlinesVisible(false);
            category.setAxisOffset(RectangleInsets.ZERO_INSETS);
            styleAxis(category.getDomainAxis());
            for (int i = 0; i < category.getRangeAxisCount(); i++) {
                styleAxis(category.getRangeAxis(i));
            }
            for (int i = 0; i < category.getRendererCount(); i++) {
                if (category.getRenderer(i) instanceof BarRenderer bars) {
                    bars.setBarPainter(new StandardBarPainter());
                    bars.setShadowVisible(false);
                    bars.setDrawBarOutline(false);
                    bars.setDefaultItemLabelFont(ITEM_LABEL);
                    bars.setDefaultItemLabelPaint(TEXT);
                }
            }
        }
        return chart;
    }

    private static void styleAxis(Axis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(AXIS_LABEL);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelFont(TICK_LABEL);
        axis.setTickLabelPaint(TEXT);
        axis.setAxisLinePaint(new Color(0x888888));
        axis.setTickMarkPaint(new Color(0x888888));
        if (axis instanceof CategoryAxis category) {
            category.setCategoryMargin(0.15);
            category.setLowerMargin(0.03);
            category.setUpperMargin(0.03);
            category.setMaximumCategoryLabelLines(2);
        }
        if (axis instanceof NumberAxis linear) {
            linear.setUpperMargin(0.08);
        }
    }

    /**
     * A base-10 logarithmic axis labelled with round numbers (1, 2, 5, 10 ... or 1, 10, 100 ...): the right axis
     * when values span orders of magnitude, as IPC latencies and set-up costs do.
     */
    public static LogAxis logAxis(String label) {
        LogAxis axis = new NiceLogAxis(label);
        axis.setLowerMargin(0.05);
        axis.setUpperMargin(0.12);
        return axis;
    }
}
