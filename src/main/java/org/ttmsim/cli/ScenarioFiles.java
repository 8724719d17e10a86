package org.ttmsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.sim.BuiltinScenarios;

/** Loads scenario files and directories for the commands; bad input becomes {@link BadInput}. */
final class ScenarioFiles {
    /** Bad input: the message is already {@code FILE:LINE:COL: message}. */
    static final class BadInput extends Exception {
        BadInput(final String message) {
            super(message);
        }
    }

    private ScenarioFiles() {
    }

    /** Parses files; a directory contributes its {@code *.yaml} / {@code *.yml} files, sorted by name. */
    static List<Scenario> load(final List<Path> paths) throws BadInput {
        final ScenarioParser parser = BuiltinScenarios.parser();
        final List<Scenario> out = new ArrayList<>();
        for (final Path p : paths) {
            for (final Path f : expand(p)) {
                try {
                    out.add(parser.parse(f));
                } catch (final ScenarioException e) {
                    throw new BadInput(e.getMessage());
                }
            }
        }
        return out;
    }

    private static List<Path> expand(final Path p) throws BadInput {
        if (!Files.exists(p)) {
            throw new BadInput(p + ": no such file or directory");
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.list(p)) {
            final List<Path> files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new BadInput(p + ": directory holds no .yaml scenario files");
            }
            return files;
        } catch (final IOException e) {
            throw new BadInput(p + ": " + e.getMessage());
        }
    }
}
