package org.ipclab.report;

import java.util.List;

/** Builds a Markdown document block by block; each block is followed by one blank line. */
final class Markdown {

    private final StringBuilder text = new StringBuilder();

    /**
     * Text from results.json made safe to print inline: '<' would start an HTML tag GitHub then hides
     * (e.g. "/proc/&lt;pid&gt;/fd"), so outside code spans it becomes an entity; a line break would end a list
     * item or a paragraph, so it becomes a space.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean inCode = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '`') {
                inCode = !inCode;
            }
            if (c == '\r' || c == '\n') {
                out.append(' ');
            } else {
                out.append(c == '<' && !inCode ? "&lt;" : String.valueOf(c));
            }
        }
        return out.toString();
    }

    /** Inline code; a backtick inside becomes a quote, so the span cannot break. */
    static String code(String text) {
        return "`" + (text == null ? "" : text.replace('`', '\'')) + "`";
    }

    Markdown heading(int level, String title) {
        text.append("#".repeat(level)).append(' ').append(title).append("\n\n");
        return this;
    }

    /** A paragraph from sentences (already Markdown); empty sentences are left out. */
    Markdown paragraph(String... sentences) {
        StringBuilder paragraph = new StringBuilder();
        for (String sentence : sentences) {
            if (sentence != null && !sentence.isBlank()) {
                if (paragraph.length() > 0) {
                    paragraph.append(' ');
                }
                paragraph.append(sentence.strip());
            }
        }
        if (paragraph.length() > 0) {
            text.append(paragraph).append("\n\n");
        }
        return this;
    }

    Markdown bullets(List<String> items) {
        if (items.isEmpty()) {
            return this;
        }
        for (String item : items) {
            text.append("- ").append(item.strip().replace("\n", "\n  ")).append('\n');
        }
        text.append('\n');
        return this;
    }

    Markdown numbered(List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            text.append(i + 1).append(". ").append(items.get(i).strip()).append('\n');
        }
        if (!items.isEmpty()) {
            text.append('\n');
        }
        return this;
    }

    Markdown table(MarkdownTable table) {
        text.append(table.render()).append('\n');
        return this;
    }

    Markdown image(String alt, String link) {
        text.append("![").append(alt.replace("]", ")")).append("](").append(link).append(")\n\n");
        return this;
    }

    Markdown fenced(String language, String body) {
        text.append("```").append(language).append('\n').append(body.strip()).append("\n```\n\n");
        return this;
    }

    /**
     * A source file verbatim, byte for byte (no stripping), so a student can copy it out and compile it. The fence
     * is one backtick longer than the longest run of backticks in the text, so nothing inside can close it.
     */
    Markdown listing(String language, String body) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < body.length(); i++) {
            run = body.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        text.append(fence).append(language == null ? "" : language).append('\n').append(body)
                .append(body.endsWith("\n") ? "" : "\n").append(fence).append("\n\n");
        return this;
    }

    /** A stable link target for a heading that follows: {@code [text](APPENDIX.md#id)} lands there. */
    Markdown anchor(String id) {
        text.append("<a id=\"").append(id).append("\"></a>\n\n");
        return this;
    }

    Markdown quote(List<String> lines) {
        for (String line : lines) {
            text.append("> ").append(line).append('\n');
        }
        text.append('\n');
        return this;
    }

    /** A collapsed block (GitHub's details/summary); Markdown inside needs the blank line after summary. */
    Markdown details(String summary, Runnable body) {
        text.append("<details>\n<summary>").append(escape(summary)).append("</summary>\n\n");
        body.run();
        text.append("</details>\n\n");
        return this;
    }

    /** Markdown produced elsewhere (e.g. by a {@link Question2Renderer}), inserted as is. */
    Markdown raw(String markdown) {
        if (markdown != null && !markdown.isBlank()) {
            text.append(markdown.strip()).append("\n\n");
        }
        return this;
    }

    @Override
    public String toString() {
        return text.toString().stripTrailing() + "\n";
    }
}
