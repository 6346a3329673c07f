package org.ipclab.report.html;

import java.util.Set;
import java.util.regex.Pattern;

import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Raw HTML inside the Markdown passes into the page only when it is one of the few tags the report writes itself
 * (link anchors {@code <a id="...">}, {@code <details>} and {@code <summary>}, line breaks) and its text holds
 * only the entities XML knows; anything else is shown as text. So the page stays well-formed XHTML whatever a
 * results.json carries, and the PDF renderer, an XML parser, always reads it.
 */
final class KnownHtml implements NodeRenderer {

    private static final Pattern KNOWN_TAG = Pattern.compile(
            "<a id=\"[A-Za-z0-9_-]+\">|</a>|</?details>|</?summary>|<br ?/?>");
    private static final Pattern XML_ENTITY = Pattern.compile("&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);");

    private final HtmlWriter html;

    KnownHtml(HtmlNodeRendererContext context) {
        this.html = context.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
        return Set.of(HtmlInline.class, HtmlBlock.class);
    }

    @Override
    public void render(Node node) {
        boolean block = node instanceof HtmlBlock;
        String literal = block ? ((HtmlBlock) node).getLiteral() : ((HtmlInline) node).getLiteral();
        if (known(literal)) {
            html.raw(literal.replaceAll("<br ?/?>", "<br/>"));
            if (block) {
                html.line();
            }
            return;
        }
        if (block) {
            html.tag("p");
            html.text(literal.strip());
            html.tag("/p");
            html.line();
        } else {
            html.text(literal);
        }
    }

    static boolean known(String literal) {
        String rest = KNOWN_TAG.matcher(literal).replaceAll("");
        return rest.indexOf('<') < 0 && rest.indexOf('>') < 0
                && XML_ENTITY.matcher(rest).replaceAll("").indexOf('&') < 0;
    }
}
