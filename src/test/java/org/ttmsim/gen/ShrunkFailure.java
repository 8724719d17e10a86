package org.ttmsim.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ttmsim.gen.GenScenario.Header;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.sim.BuiltinScenarios;

/**
 * A model error found in a generated cell, shrunk by {@link Shrinker} while the design, the mode and
 * the error's root cause stay the same, and described for a bug report: seeds, every generated option,
 * the minimal YAML, the error and the lines that reproduce it.
 *
 * @param original the failing cell's outcome (unshrunk)
 * @param minimal  the smallest scenario that still fails the same way; its own {@code design} and
 *                 {@code machine.encryption} are the failing design and mode when the parser allows,
 *                 so {@code ./ttmsim run FILE} alone reproduces it too
 * @param error    the minimal scenario's error text (first line, then the stack)
 * @param result   the shrinker's statistics
 */
record ShrunkFailure(Cells.Outcome original, GenScenario minimal, String error, Shrinker.Result result) {

    /** Most candidates one shrink may run (each is one cell, a few milliseconds). */
    static final int MAX_CANDIDATES = 3000;

    /** Shrinks the failure of {@code failed}, keeping its design, mode and root cause. */
    static ShrunkFailure of(final Cells.Outcome failed) {
        final ScenarioParser parser = BuiltinScenarios.parser();
        final Cells.Cell cell = failed.cell();
        final String cause = failed.rootCause();
        final Shrinker shrinker = new Shrinker(parser, s -> {
            final Cells.Outcome o = Cells.run(cell, s);
            return o.error() && cause.equals(o.rootCause());
        }, MAX_CANDIDATES);
        final Shrinker.Result r = shrinker.shrink(cell.generated().scenario());
        GenScenario min = r.minimal();
        final String seed = ScenarioGenerator.hex(cell.generated().seed());
        final Header named = min.header().with("name", min.header().name() + "-min")
                .with("description", "shrunk from ScenarioGenerator seed " + seed + "; model error under design "
                        + cell.design() + ", mode " + cell.mode());
        final GenScenario own = min.withHeader(named.with("design", cell.design()).with("encryption", cell.mode()));
        min = shrinker.accepts(own) ? own : min.withHeader(named);
        final String error;
        try {
            error = Cells.run(cell, parser.parse(min.header().name() + ".yaml", min.yaml())).errorText();
        } catch (final org.ttmsim.scenario.ScenarioException e) {
            throw new IllegalStateException("a shrunk scenario must parse: " + e.getMessage(), e);
        }
        return new ShrunkFailure(failed, min, error, r);
    }

    /** The file name of the minimal scenario. */
    String fileName() {
        return minimal.header().name() + ".yaml";
    }

    /** Writes the minimal scenario into {@code dir} and returns its path. */
    Path write(final Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(fileName()), minimal.yaml(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The error's first line. */
    String firstLine() {
        return error.lines().findFirst().orElse("");
    }

    /**
     * A report of this failure: seeds, options, cell, error (first {@code frames} frames), the minimal
     * YAML, where it was written and how to reproduce it.
     *
     * @param master      the master seed the scenario's seed was derived from
     * @param mavenReplay the {@code mvn} line that replays the whole run
     * @param file        where the minimal scenario was written
     */
    String describe(final long master, final String mavenReplay, final Path file, final int frames) {
        final Cells.Cell cell = original.cell();
        final ScenarioGenerator.Generated g = cell.generated();
        final StringBuilder sb = new StringBuilder();
        sb.append("  root cause:     ").append(original.rootCause()).append('\n');
        sb.append("  master seed:    ").append(ScenarioGenerator.hex(master)).append('\n');
        sb.append("  scenario seed:  ").append(ScenarioGenerator.hex(g.seed())).append('\n');
        sb.append("  options:        ").append(g.options()).append('\n');
        sb.append("  design / mode:  ").append(cell.design()).append(" / ").append(cell.mode()).append('\n');
        sb.append("  error:          ").append(indentStack(error, frames)).append('\n');
        sb.append(String.format("  shrunk from %d steps to %d (%d candidates run, %d kept%s):%n",
                g.scenario().steps().size(), minimal.steps().size(), result.candidates(), result.accepted(),
                result.exhausted() ? "; budget exhausted, may not be minimal" : ""));
        minimal.yaml().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        sb.append("  written to:     ").append(file).append('\n');
        sb.append("  reproduce:\n");
        sb.append("    ").append(mavenReplay).append('\n');
        sb.append("    mvn -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=GeneratedScenariosIT -Dttmsim.gen.scenario=")
                .append(ScenarioGenerator.hex(g.seed())).append("   # this scenario alone\n");
        sb.append("    ./ttmsim run ").append(file).append(" --design ").append(cell.design()).append(" --mode ")
                .append(cell.mode()).append('\n');
        sb.append("  generated scenario (before shrinking):\n");
        g.yaml().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        return sb.toString();
    }

    /** The first line, then at most {@code frames} stack lines, indented under it. */
    private static String indentStack(final String text, final int frames) {
        final StringBuilder sb = new StringBuilder();
        int n = 0;
        for (final String l : text.lines().toList()) {
            if (n > 0 && l.contains("org.ttmsim.sim.ScenarioRunner.run(")) {
                sb.append("\n                  ").append(l.strip()).append("   (callers' frames left out)");
                break;
            }
            if (n == 0) {
                sb.append(l);
            } else if (n <= frames) {
                sb.append("\n                  ").append(l.strip());
            } else {
                sb.append("\n                  ...");
                break;
            }
            n++;
        }
        return sb.toString();
    }
}
