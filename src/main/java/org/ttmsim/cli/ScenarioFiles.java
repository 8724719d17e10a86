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

/**
 * Loads scenario files, directories and built-in ids for the commands. Every bad input of a batch is
 * reported, not only the first: {@link BadInput} carries one {@code FILE:LINE:COL: message} per line.
 */
final class ScenarioFiles {
    /** Bad input: each line of the message is already {@code FILE:LINE:COL: message}. */
    static final class BadInput extends Exception {
        private final List<String> problems;

        BadInput(final List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        BadInput(final String message) {
            this(List.of(message));
        }

        /** One message per bad file. */
        List<String> problems() {
            return problems;
        }

        /** Prints every problem as {@code error: ...}. */
        void print(final java.io.PrintWriter err) {
            problems.forEach(p -> err.println("error: " + p));
        }
    }

    private ScenarioFiles() {
    }

    /**
     * Parses each argument: a file; a directory, whose {@code *.yaml} / {@code *.yml} files are taken in
     * name order; or, when no such path exists, a built-in scenario by the id {@code ttmsim scenarios}
     * prints (its file name without {@code .yaml}), its name, or {@code builtin:FILE}.
     *
     * @throws BadInput naming every file that could not be read or parsed
     */
    static List<Scenario> load(final List<Path> paths) throws BadInput {
        final ScenarioParser parser = BuiltinScenarios.parser();
        final List<Scenario> out = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        for (final Path p : paths) {
            if (!Files.exists(p)) {
                final Scenario builtin = BuiltinScenarios.byId(p.toString());
                if (builtin != null) {
                    out.add(builtin);
                } else {
                    problems.add(p + ": no such file or directory, and no built-in scenario has that id"
                            + " (`ttmsim scenarios` lists them)");
                }
                continue;
            }
            final List<Path> files;
            try {
                files = expand(p);
            } catch (final BadInput e) {
                problems.addAll(e.problems());
                continue;
            }
            for (final Path f : files) {
                try {
                    out.add(parser.parse(f));
                } catch (final ScenarioException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInput(problems);
        }
        return out;
    }

    private static List<Path> expand(final Path p) throws BadInput {
        if (p.toString().isEmpty()) {
            throw new BadInput("an empty path: give a scenario file, a directory of them, or a built-in's id");
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
