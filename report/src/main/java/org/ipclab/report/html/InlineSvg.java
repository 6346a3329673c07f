package org.ipclab.report.html;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SVG file made ready to sit inside an HTML page: the XML declaration goes (it may only open a file), and every
 * {@code id} gets a prefix, with the references to it ({@code url(#id)}, {@code href="#id"}), because ids are
 * global in a page and two diagrams drawn by the same library use the same ones ({@code part1}, {@code clip-0}).
 */
final class InlineSvg {

    private static final Pattern DECLARATION = Pattern.compile("<\\?xml[^>]*\\?>\\s*");
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\s*");
    private static final Pattern ID = Pattern.compile("\\bid=(['\"])([^'\"]+)\\1");

    private InlineSvg() {
    }

    /**
     * The SVG's text with its ids prefixed by {@code prefix}; the root element keeps its viewBox so the page can
     * scale it.
     */
    static String of(String svg, String prefix) {
        String body = DOCTYPE.matcher(DECLARATION.matcher(svg).replaceFirst("")).replaceFirst("").strip();
        if (!body.startsWith("<svg")) {
            throw new IllegalArgumentException("not an SVG drawing (it starts with "
                    + body.substring(0, Math.min(20, body.length())) + ")");
        }
        Set<String> ids = new LinkedHashSet<>();
        Matcher id = ID.matcher(body);
        while (id.find()) {
            ids.add(id.group(2));
        }
        if (ids.isEmpty()) {
            return body;
        }
        // One pass over the text: each id, and each reference to one, is rewritten exactly once.
        Pattern reference = Pattern.compile("(\\bid=['\"]|url\\(#|href=['\"]#)(" + alternatives(ids) + ")(?=['\")])");
        Matcher m = reference.matcher(body);
        StringBuilder out = new StringBuilder(body.length() + ids.size() * prefix.length() * 2);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + prefix + m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String alternatives(Set<String> ids) {
        StringBuilder alternatives = new StringBuilder();
        ids.stream().sorted((a, b) -> b.length() - a.length()) // longest first: part1-head before part1
                .forEach(i -> alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(i)));
        return alternatives.toString();
    }
}
