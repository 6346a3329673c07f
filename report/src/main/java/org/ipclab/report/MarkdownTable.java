package org.ipclab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table that cannot come out malformed: every row must have the header's number of
 * cells, and cell text is escaped ('|' would end a cell, a line break would end the table, '<' would start HTML).
 */
public final class MarkdownTable {

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.of(headers);
        this.rightAligned = new boolean[headers.length];
    }

    public MarkdownTable(List<String> headers) {
        this(headers.toArray(String[]::new));
    }

    /** Right-aligns the given columns (0-based): numbers line up on their last digit. */
    public MarkdownTable rightAlign(int... columns) {
        for (int column : columns) {
            rightAligned[column] = true;
        }
        return this;
    }

    /** Right-aligns every column from {@code first} on. */
    public MarkdownTable rightAlignFrom(int first) {
        for (int column = first; column < headers.size(); column++) {
            rightAligned[column] = true;
        }
        return this;
    }

    /** Adds a row; the cells are plain text (escaped here) or inline Markdown such as `code`. */
    public MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
                    + headers.size() + " columns " + headers + ": " + Arrays.toString(cells));
        }
        rows.add(List.of(Arrays.stream(cells).map(MarkdownTable::cell).toArray(String[]::new)));
        return this;
    }

    public MarkdownTable row(List<String> cells) {
        return row(cells.toArray(String[]::new));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int columns() {
        return headers.size();
    }

    /** The table as Markdown lines, ending with a line break. */
    public String render() {
        StringBuilder out = new StringBuilder();
        line(out, headers.stream().map(MarkdownTable::cell).toList());
        List<String> rule = new ArrayList<>();
        for (boolean right : rightAligned) {
            rule.add(right ? "---:" : "---");
        }
        line(out, rule);
        for (List<String> row : rows) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String cell(String text) {
        if (text == null || text.isBlank()) {
            return " ";
        }
        return Markdown.escape(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
