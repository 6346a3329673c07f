package org.ipclab.report.chart;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis whose labels are round numbers a reader can use: 1, 2, 5, 10, 20, 50 ... when the data
 * spans few decades, 1, 10, 100 ... when it spans many, with unlabelled ticks at every other whole multiple.
 * (JFreeChart's own LogAxis picks fractional powers of ten for short ranges: 1.995, 2.512, 3.162.)
 */
final class NiceLogAxis extends LogAxis {

    private static final long serialVersionUID = 1L;
    /** Up to this many decades the 1-2-5 labels fit; above it only powers of ten are labelled. */
    private static final double MAX_DECADES_FOR_1_2_5 = 3.2;

    private final NumberFormat format = new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT));

    NiceLogAxis(String label) {
        super(label);
        setBase(10);
        setMinorTickMarksVisible(true);
        setSmallestValue(1e-9);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        TextAnchor anchor = vertical
                ? (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT)
                : (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
        double lower = getLowerBound();
        double upper = getUpperBound();
        boolean oneTwoFive = Math.log10(upper / lower) <= MAX_DECADES_FOR_1_2_5;
        List<NumberTick> ticks = new ArrayList<>();
        int first = (int) Math.floor(Math.log10(lower));
        int last = (int) Math.ceil(Math.log10(upper));
        for (int exponent = first; exponent <= last; exponent++) {
            double decade = Math.pow(10, exponent);
            for (int digit = 1; digit <= 9; digit++) {
                double value = digit * decade;
                if (value < lower || value > upper) {
                    continue;
                }
                boolean major = digit == 1 || (oneTwoFive && (digit == 2 || digit == 5));
                ticks.add(new NumberTick(major ? TickType.MAJOR : TickType.MINOR, value,
                        major ? format.format(value) : "", anchor, anchor, 0.0));
            }
        }
        return ticks;
    }
}
