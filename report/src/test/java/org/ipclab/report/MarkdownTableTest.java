package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MarkdownTableTest {

    @Test
    void cellsAreEscapedSoTheTableCannotBreak() {
        String table = new MarkdownTable("a", "b").rightAlign(1).row("x|y", "line\nbreak <tag> `<code>`").render();
        assertEquals("| a | b |\n| --- | ---: |\n| x\\|y | line break &lt;tag> `<code>` |\n", table);
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        MarkdownTable table = new MarkdownTable("a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertEquals("a row of 1 cells in a table of 2 columns [a, b]: [only one]", e.getMessage());
    }
}
