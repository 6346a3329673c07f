package org.ipclab.report.chart;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One colour and one marker shape per transport, the same in every chart of a report, so a reader who learned
 * "tcp is blue" in the latency chart finds tcp blue in the throughput chart. Each transport brings its colour in
 * its descriptor; a transport without one, or whose colour an earlier transport already has, takes the next free
 * colour of {@link #SAFE}, so no two transports look alike. The shapes tell the lines apart in grey print.
 */
public final class TransportPalette {

    /**
     * Colours that stay distinguishable for readers with colour-vision deficiencies: the Okabe–Ito palette, then
     * Paul Tol's "muted" scheme for more transports than it has. Yellow, hard to see on white, comes last.
     */
    static final List<Color> SAFE = List.of(
            new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xD55E00), new Color(0x000000), new Color(0x56B4E9),
            new Color(0x332288), new Color(0x882255), new Color(0x44AA99), new Color(0x999933),
            new Color(0xAA4499), new Color(0x117733), new Color(0x88CCEE), new Color(0xDDCC77),
            new Color(0xF0E442));

    private static final int SHAPES = 8;

    private final Map<String, Color> colours = new LinkedHashMap<>();
    private final Map<String, Integer> shapes = new LinkedHashMap<>();
    private final Set<Integer> taken = new HashSet<>();

    private TransportPalette() {
    }

    /**
     * The palette of one report.
     *
     * @param transports every transport of the report, in its order (the first ones keep their colours)
     * @param declared   a transport's own colour as "#RRGGBB", or null when it declared none
     */
    public static TransportPalette of(List<String> transports, Function<String, String> declared) {
        TransportPalette palette = new TransportPalette();
        List<String> later = new ArrayList<>();
        for (String transport : transports) {
            Color own = parse(declared.apply(transport));
            if (own != null && palette.taken.add(own.getRGB())) {
                palette.colours.put(transport, own);
            } else {
                later.add(transport);
            }
        }
        later.forEach(palette::colour);
        transports.forEach(palette::shapeIndex);
        return palette;
    }

    /** The colour of {@code transport} in every chart; a transport the palette was not built with gets a free one. */
    public Color colour(String transport) {
        return colours.computeIfAbsent(transport, t -> {
            for (Color c : SAFE) {
                if (taken.add(c.getRGB())) {
                    return c;
                }
            }
            // more transports than safe colours: the shapes and the legend still tell them apart
            return SAFE.get(Math.floorMod(t.hashCode(), SAFE.size()));
        });
    }

    /** {@code colour} mixed with white: {@code towardsWhite} 0 keeps it, 1 makes it white. */
    public static Color tint(Color colour, double towardsWhite) {
        return new Color(mix(colour.getRed(), towardsWhite), mix(colour.getGreen(), towardsWhite),
                mix(colour.getBlue(), towardsWhite));
    }

    private static int mix(int channel, double towardsWhite) {
        return (int) Math.round(channel + (255 - channel) * towardsWhite);
    }

    private static Color parse(String hex) {
        if (hex == null || !hex.matches("#[0-9A-Fa-f]{6}")) {
            return null;
        }
        return new Color(Integer.parseInt(hex.substring(1), 16));
    }

    private int shapeIndex(String transport) {
        return shapes.computeIfAbsent(transport, t -> shapes.size() % SHAPES);
    }

    /** The marker of {@code transport} on line charts, centred on (0, 0): the n-th transport has the n-th shape. */
    public Shape shape(String transport) {
        double r = 4.5;
        return switch (shapeIndex(transport)) {
            case 0 -> new Rectangle2D.Double(-r, -r, 2 * r, 2 * r);
            case 1 -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
            case 2 -> polygon(new double[] {0, r + 1, 0, -r - 1}, new double[] {-r - 1, 0, r + 1, 0});
            case 3 -> polygon(new double[] {0, r + 1, -r - 1}, new double[] {-r - 1, r, r});
            case 4 -> polygon(new double[] {-r - 1, r + 1, 0}, new double[] {-r, -r, r + 1});
            case 5 -> polygon(new double[] {-r, -r / 3, r / 3, r, r, r / 3, -r / 3, -r},
                    new double[] {-r / 3, -r, -r, -r / 3, r / 3, r, r, r / 3});
            case 6 -> polygon(new double[] {-r - 1, r, r, -r - 1}, new double[] {0, -r, r, 0});
            default -> polygon(new double[] {r + 1, -r, -r}, new double[] {0, -r, r});
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
