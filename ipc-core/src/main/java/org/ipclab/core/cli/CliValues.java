package org.ipclab.core.cli;

import java.nio.file.Path;
import java.util.Optional;

/** The values the user gave (or the defaults) for a transport's own {@link CliOption}s, looked up by name. */
public interface CliValues {

    /** The value of a {@link CliOption.Type#TEXT} option, or null when it has no default and was not given. */
    String text(String name);

    /** The value of an {@link CliOption.Type#INTEGER} option that has a default. */
    default int integer(String name) {
        return optionalInteger(name).orElseThrow(() -> new IllegalStateException(name + " has no value"));
    }

    /** The value of an {@link CliOption.Type#INTEGER} option, empty when it has no default and was not given. */
    Optional<Integer> optionalInteger(String name);

    /** The value of a {@link CliOption.Type#PATH} option, or null when it has no default and was not given. */
    Path path(String name);

    /** Whether a {@link CliOption.Type#FLAG} was given. */
    boolean flag(String name);
}
