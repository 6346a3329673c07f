package org.ipclab.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * A report's Markdown as one self-contained HTML page: the text rendered by commonmark (with GitHub's tables),
 * every chart and diagram the Markdown links as an image put inline as {@code <svg>}, the style sheet inline, and
 * links between the report's Markdown files pointed at their HTML twins ({@code APPENDIX.md#x} becomes
 * {@code APPENDIX.html#x}). Nothing is fetched from the network: the page opens the same from a USB stick.
 *
 * <p>The page is well-formed XHTML, so the PDF renderer (an XML parser) reads the same text a browser does.
 */
public final class HtmlPage {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Pattern MARKDOWN_LINK = Pattern.compile("^([A-Za-z0-9_-]+)\\.md(#.*)?$");
    private static final Pattern SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*:");

    private HtmlPage() {
    }

    /**
     * The page for {@code markdown}, whose image links are relative to {@code baseDir}.
     *
     * @throws IOException when a linked SVG cannot be read
     */
    public static String render(String markdown, Path baseDir) throws IOException {
        Node document = Parser.builder().extensions(EXTENSIONS).build().parse(markdown);
        int[] figures = {0};
        HtmlRenderer renderer = HtmlRenderer.builder()
                .extensions(EXTENSIONS)
                .nodeRendererFactory(context -> new InlineImages(context, baseDir, figures))
                .nodeRendererFactory(KnownHtml::new)
                .attributeProviderFactory(context -> new HtmlLinks())
                .build();
        String body;
        try {
            body = renderer.render(document);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return "<!DOCTYPE html>\n"
                + "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                + "<title>" + escape(title(document)) + "</title>\n<style>\n" + css() + "</style>\n</head>\n"
                + "<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    }

    /** The text of the first top-level heading, the page's title. */
    private static String title(Node document) {
        StringBuilder title = new StringBuilder();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                if (heading.getLevel() == 1 && title.length() == 0) {
                    title.append(plainText(heading));
                }
            }
        });
        return title.length() == 0 ? "ipc-lab report" : title.toString();
    }

    private static String plainText(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code code) {
                text.append(code.getLiteral());
            }
        });
        return text.toString();
    }

    private static String css() {
        try (InputStream in = HtmlPage.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the report module's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Links to the report's other Markdown files go to their HTML twins; links elsewhere stay as they are. */
    private static final class HtmlLinks implements AttributeProvider {
        @Override
        public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
            if (node instanceof Link && attributes.containsKey("href")) {
                String href = attributes.get("href");
                var markdownFile = MARKDOWN_LINK.matcher(href);
                if (!SCHEME.matcher(href).find() && markdownFile.matches()) {
                    String fragment = markdownFile.group(2) == null ? "" : markdownFile.group(2);
                    attributes.put("href", markdownFile.group(1) + ".html" + fragment);
                }
            }
        }
    }

    /** An image whose target is an SVG file beside the report is drawn inline, in a figure captioned by its alt text. */
    private static final class InlineImages implements NodeRenderer {
        private final HtmlNodeRendererContext context;
        private final Path baseDir;
        private final int[] figures;

        InlineImages(HtmlNodeRendererContext context, Path baseDir, int[] figures) {
            this.context = context;
            this.baseDir = baseDir;
            this.figures = figures;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Image.class);
        }

        @Override
        public void render(Node node) {
            Image image = (Image) node;
            String target = image.getDestination();
            String alt = plainText(image);
            HtmlWriter html = context.getWriter();
            if (SCHEME.matcher(target).find() || !target.endsWith(".svg")) {
                html.tag("img", Map.of("src", context.encodeUrl(target), "alt", alt), true);
                return;
            }
            String svg;
            try {
                svg = Files.readString(baseDir.resolve(target), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("the report links " + target
                        + ", which cannot be read (" + e.getMessage() + "): render the report again", e));
            }
            figures[0]++;
            html.raw("<span class=\"figure\" role=\"img\" aria-label=\"" + escape(alt) + "\">");
            html.raw(InlineSvg.of(svg, "f" + figures[0] + "-"));
            html.raw("</span>");
        }
    }
}
