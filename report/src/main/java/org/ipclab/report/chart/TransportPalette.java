package org.ipclab.report.chart;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Map;

/**
 * One colour and one marker shape per transport, the same in every chart, so a reader who learned "tcp is blue"
 * in the latency chart finds tcp blue in the throughput chart. The colours are the Okabe–Ito palette, which stays
 * distinguishable for readers with colour-vision deficiencies; the shapes tell the lines apart in grey print.
 */
public final class TransportPalette {

    private static final Map<String, Color> KNOWN = Map.of(
            "tcp", new Color(0x0072B2),
            "unix", new Color(0x56B4E9),
            "pipe", new Color(0x009E73),
            "fifo", new Color(0xCC79A7),
            "chronicle", new Color(0xD55E00),
            "posix-mq", new Color(0xE69F00));

    /** For transports this class does not know yet: picked by the name's hash, so still stable across charts. */
    private static final Color[] SPARE = {
        new Color(0x000000), new Color(0x7F7F7F), new Color(0x8C564B), new Color(0x6A3D9A), new Color(0xB15928)};

    private static final Map<String, Integer> SHAPE_INDEX = Map.of(
            "tcp", 0, "unix", 1, "pipe", 2, "fifo", 3, "chronicle", 4, "posix-mq", 5);

    private TransportPalette() {
    }

    /** The colour of {@code transport} in every chart. */
    public static Color colour(String transport) {
        Color known = KNOWN.get(transport);
        return known != null ? known : SPARE[Math.floorMod(transport.hashCode(), SPARE.length)];
    }

    /** {@code colour} mixed with white: {@code towardsWhite} 0 keeps it, 1 makes it white. */
    public static Color tint(Color colour, double towardsWhite) {
        return new Color(mix(colour.getRed(), towardsWhite), mix(colour.getGreen(), towardsWhite),
                mix(colour.getBlue(), towardsWhite));
    }

    private static int mix(int channel, double towardsWhite) {
        return (int) Math.round(channel + (255 - channel) * towardsWhite);
    }

    /** The marker of {@code transport} on line charts, centred on (0, 0). */
    public static Shape shape(String transport) {
        int index = SHAPE_INDEX.getOrDefault(transport, Math.floorMod(transport.hashCode(), 6));
        double r = 4.5;
        return switch (index) {
            case 0 -> new Rectangle2D.Double(-r, -r, 2 * r, 2 * r);
            case 1 -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            case 2 -> polygon(new double[] {0, r + 1, 0, -r - 1}, new double[] {-r - 1, 0, r + 1, 0});
            case 3 -> polygon(new double[] {0, r + 1, -r - 1}, new double[] {-r - 1, r, r});
            case 4 -> polygon(new double[] {-r - 1, r + 1, 0}, new double[] {-r, -r, r + 1});
            default -> polygon(new double[] {-r, -r / 3, r / 3, r, r, r / 3, -r / 3, -r},
                    new double[] {-r / 3, -r, -r, -r / 3, r / 3, r, r, r / 3});
        };
    }

    private static Shape polygon(double[] xs, double[] ys) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        path.closePath();
        return path;
    }
}
