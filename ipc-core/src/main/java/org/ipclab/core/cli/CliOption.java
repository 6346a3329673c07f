package org.ipclab.core.cli;

import java.util.Objects;

/**
 * One option of {@code ipc-lab server ID} or {@code ipc-lab client ID}, as data: the command line builds the
 * option from it (its help line, its default, its type), so a transport declares its options without knowing the
 * command-line library.
 *
 * @param name         the option as typed, e.g. {@code --port}
 * @param paramLabel   what the help shows for its value, e.g. {@code N}, {@code FILE}, {@code <port>}; ignored for a flag
 * @param type         how the value is read
 * @param defaultValue the value when the option is not given, or null for none (an optional number stays null)
 * @param description  the help text; {@code ${DEFAULT-VALUE}} in it shows the default
 * @param required     whether the command refuses to run without it
 */
public record CliOption(String name, String paramLabel, Type type, String defaultValue, String description,
                        boolean required) {

    /** How an option's value is read. A value of the wrong type is bad input, reported by the command line. */
    public enum Type {
        /** Any text. */
        TEXT,
        /** A whole number (an {@code int}). */
        INTEGER,
        /** A file or directory path. */
        PATH,
        /** Present or absent; takes no value. */
        FLAG
    }

    public CliOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("an option's name starts with --, not " + name);
        }
    }

    /** An option with a default value. */
    public static CliOption of(String name, String paramLabel, Type type, String defaultValue, String description) {
        return new CliOption(name, paramLabel, type, defaultValue, description, false);
    }

    /** An option with no default: absent means "not given". */
    public static CliOption optional(String name, String paramLabel, Type type, String description) {
        return new CliOption(name, paramLabel, type, null, description, false);
    }

    /** An option the command cannot run without. */
    public static CliOption required(String name, String paramLabel, Type type, String description) {
        return new CliOption(name, paramLabel, type, null, description, true);
    }

    /** A flag: present or not. */
    public static CliOption flag(String name, String description) {
        return new CliOption(name, null, Type.FLAG, null, description, false);
    }
}
