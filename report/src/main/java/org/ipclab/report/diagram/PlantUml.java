package org.ipclab.report.diagram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import net.sourceforge.plantuml.core.DiagramDescription;

/**
 * Draws a PlantUML diagram to SVG in this JVM with PlantUML's MIT edition. Activity diagrams of the new syntax
 * ({@code start}, {@code :action;}, {@code repeat}, {@code while}) and sequence diagrams are laid out by PlantUML
 * itself, without Graphviz, so nothing outside the JVM runs and nothing is fetched from the network.
 */
public final class PlantUml {

    private PlantUml() {
    }

    /**
     * The SVG document PlantUML draws from {@code source} (one {@code @startuml ... @enduml} block). The same source
     * gives the same bytes, so re-rendering a report does not change its diagrams.
     *
     * @throws IOException when PlantUML cannot read the source: it would otherwise draw its error picture in place
     *                     of the diagram
     */
    public static String svg(String source) throws IOException {
        SourceStringReader reader = new SourceStringReader(source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiagramDescription description = reader.outputImage(out, new FileFormatOption(FileFormat.SVG));
        if (description == null || description.getDescription() == null
                || description.getDescription().startsWith("(Error)")) {
            throw new IOException("PlantUML could not read a diagram the report generates (a bug in ipc-lab's "
                    + "report): " + firstLine(source));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String firstLine(String source) {
        return source.lines().filter(l -> !l.isBlank() && !l.startsWith("@")).findFirst().orElse("(empty)");
    }
}
