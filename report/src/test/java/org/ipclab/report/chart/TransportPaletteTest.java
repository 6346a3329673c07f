package org.ipclab.report.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.Color;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TransportPaletteTest {

    @Test
    void everyTransportKeepsTheColourItDeclaredUnlessAnEarlierOneHasIt() {
        Map<String, String> declared = Map.of("tcp", "#0072B2", "twin", "#0072b2", "toy", "#44AA99");
        TransportPalette palette = TransportPalette.of(List.of("tcp", "twin", "toy", "silent"), declared::get);
        assertEquals(new Color(0x0072B2), palette.colour("tcp"));
        assertEquals(new Color(0x44AA99), palette.colour("toy"));
        assertNotEquals(palette.colour("tcp"), palette.colour("twin"), "the second to declare blue gets another colour");
        Set<Color> colours = new HashSet<>();
        for (String t : List.of("tcp", "twin", "toy", "silent", "late")) {
            colours.add(palette.colour(t));
        }
        assertEquals(5, colours.size(), "no two transports look alike: " + colours);
        assertEquals(palette.colour("late"), palette.colour("late"), "a latecomer keeps the colour it was given");
    }

    @Test
    void eachOfEightTransportsHasItsOwnMarker() {
        List<String> eight = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        TransportPalette palette = TransportPalette.of(eight, t -> null);
        Set<String> shapes = new HashSet<>();
        for (String t : eight) {
            shapes.add(palette.shape(t).getBounds2D() + " " + palette.shape(t).getClass().getSimpleName()
                    + java.util.Arrays.toString(corners(palette, t)));
        }
        assertEquals(8, shapes.size());
        Set<Color> colours = new HashSet<>();
        eight.forEach(t -> colours.add(palette.colour(t)));
        assertEquals(8, colours.size(), "the safe palette has a colour for each");
    }

    private static double[] corners(TransportPalette palette, String t) {
        var it = palette.shape(t).getPathIterator(null);
        double[] first = new double[6];
        double[] sum = new double[2];
        while (!it.isDone()) {
            it.currentSegment(first);
            sum[0] += first[0];
            sum[1] += first[1];
            it.next();
        }
        return sum;
    }
}
