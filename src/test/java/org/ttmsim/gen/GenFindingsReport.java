package org.ttmsim.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;

/**
 * Not a test but a report, run on demand: generates the cells of {@link GeneratedScenariosIT}
 * (same {@code ttmsim.gen.seed} and {@code ttmsim.gen.cells} properties), groups every model error by
 * root cause (exception class at its top model frame), shrinks the first failing cell of each
 * failing scenario (at most {@value #SHRINKS_PER_CAUSE} per root cause), and writes the distinct
 * minimal scenarios as Markdown to the file named by {@code -Dttmsim.gen.findings=FILE}:
 *
 * <pre>
 * mvn -B -o test -Dtest=GenFindingsReport -Dttmsim.gen.cells=10000 -Dttmsim.gen.findings=/work/notes/gen-findings.md
 * </pre>
 *
 * <p>Each minimal scenario is also run under every design and mode, to say where it errs. It does not
 * judge determinism or exit codes; {@link GeneratedScenariosIT} does.
 */
@EnabledIfSystemProperty(named = "ttmsim.gen.findings", matches = ".+")
class GenFindingsReport {
    static final int SHRINKS_PER_CAUSE = 250;

    /** One distinct minimal scenario: its text without name and description, and who reached it. */
    private static final class Minimal {
        final ShrunkFailure example;
        final Set<Long> seeds = new LinkedHashSet<>();

        Minimal(final ShrunkFailure example) {
            this.example = example;
        }
    }

    @Test
    void writeFindings() throws IOException {
        final long t0 = System.nanoTime();
        final GeneratedScenariosIT.GenRun run = new GeneratedScenariosIT.GenRun(
                seedProperty(), cellsProperty(), null, false);
        final List<Cells.Outcome> errors = run.first.stream().filter(Cells.Outcome::error).toList();
        final Map<String, List<Cells.Outcome>> byCause = GeneratedScenariosIT.GenRun.byRootCause(errors);
        final StringBuilder md = new StringBuilder();
        md.append("# Generated-scenario findings (issue #16)\n\n");
        md.append(String.format("Master seed `%s`, %d scenarios x %d designs x %d modes = %d cells: %d cells (%d scenarios) "
                        + "ended in verdict `error`. %d root causes (exception at its top model frame).%n%n",
                ScenarioGenerator.hex(run.master), run.gens.size(), Cells.DESIGNS.size(), Cells.MODES.size(),
                run.cells.size(), errors.size(), errors.stream().map(o -> o.cell().generated().seed()).distinct().count(),
                byCause.size()));
        md.append(String.format("Exceptions that escaped `ScenarioRunner.run` instead of becoming verdict `error`: %d cells.%n%n",
                errors.stream().filter(o -> o.escaped() != null).count()));
        md.append("Replay: `").append(run.mavenReplay()).append("` (the test), or\n`mvn -B -o test -Dtest=GenFindingsReport ")
                .append("-Dttmsim.gen.seed=").append(ScenarioGenerator.hex(run.master)).append(" -Dttmsim.gen.cells=")
                .append(run.requestedCells).append(" -Dttmsim.gen.findings=FILE` (this report). Each minimal scenario ")
                .append("was shrunk from the first failing cell of a scenario with the design, mode and root cause ")
                .append("held fixed; `./ttmsim run FILE.yaml --design D --mode M` reproduces it. Line numbers are those ")
                .append("of branch `gen` at the time of the run.\n\n");
        md.append("| # | root cause | cells | seeds | first hit within | distinct minimal scenarios |\n"
                + "|---|---|---|---|---|---|\n");
        final Map<String, Map<String, Minimal>> minimals = new LinkedHashMap<>();
        for (final Map.Entry<String, List<Cells.Outcome>> e : byCause.entrySet()) {
            final Map<Long, Cells.Outcome> firstPerSeed = new LinkedHashMap<>();
            e.getValue().forEach(o -> firstPerSeed.putIfAbsent(o.cell().generated().seed(), o));
            final Map<String, Minimal> distinct = new LinkedHashMap<>();
            int shrunk = 0;
            for (final Cells.Outcome o : firstPerSeed.values()) {
                if (shrunk++ == SHRINKS_PER_CAUSE) {
                    break;
                }
                final ShrunkFailure f = ShrunkFailure.of(o);
                final String key = stepsKey(f.minimal());
                distinct.computeIfAbsent(key, k -> new Minimal(f)).seeds.add(o.cell().generated().seed());
            }
            minimals.put(e.getKey(), distinct);
            final int firstScenario = run.gens.indexOf(e.getValue().get(0).cell().generated()) + 1;
            md.append(String.format("| %d | `%s` | %d | %d | %d cells | %d%s |%n", minimals.size(), e.getKey(),
                    e.getValue().size(), firstPerSeed.size(), firstScenario * Cells.DESIGNS.size() * Cells.MODES.size(),
                    distinct.size(),
                    firstPerSeed.size() > SHRINKS_PER_CAUSE ? " (of the first " + SHRINKS_PER_CAUSE + " seeds shrunk)" : ""));
        }
        int n = 0;
        for (final Map.Entry<String, Map<String, Minimal>> e : minimals.entrySet()) {
            n++;
            final List<Cells.Outcome> outs = byCause.get(e.getKey());
            md.append(String.format("%n## %d. `%s`%n%n", n, e.getKey()));
            md.append(String.format("%d cells in %d scenarios. First line of the error: `%s`%n", outs.size(),
                    outs.stream().map(o -> o.cell().generated().seed()).distinct().count(),
                    outs.get(0).firstLine()));
            int k = 0;
            for (final Minimal m : e.getValue().values()) {
                k++;
                final ShrunkFailure f = m.example;
                final Cells.Cell cell = f.original().cell();
                md.append(String.format("%n### %d.%d — hit by %d seed%s (shrunk)%n%n", n, k, m.seeds.size(),
                        m.seeds.size() == 1 ? "" : "s"));
                md.append("Shrunk from seed `").append(ScenarioGenerator.hex(cell.generated().seed()))
                        .append("` under design `").append(cell.design()).append("`, mode `").append(cell.mode())
                        .append("`; other seeds: ").append(m.seeds.stream().skip(1).limit(8)
                                .map(ScenarioGenerator::hex).map(s -> "`" + s + "`").toList())
                        .append(m.seeds.size() > 9 ? " …" : "").append("\n\n");
                md.append("```yaml\n").append(f.minimal().yaml()).append("```\n\n");
                md.append("Error: `").append(f.firstLine()).append("`, from\n\n");
                f.error().lines().filter(l -> l.strip().startsWith("at org.ttmsim.")).limit(5)
                        .forEach(l -> md.append("    ").append(l.strip()).append('\n'));
                md.append('\n');
                md.append("Errs under: ").append(whereItErrs(f)).append("\n");
            }
        }
        md.append(String.format("%n_Generated in %.0f s._%n", (System.nanoTime() - t0) / 1e9));
        final Path out = Path.of(System.getProperty("ttmsim.gen.findings"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println("[gen] findings written to " + out + ": " + byCause.size() + " root causes");
    }

    /** The scenario's text without what names the seed or the failing cell (name, description, design, mode). */
    private static String stepsKey(final GenScenario s) {
        return s.withHeader(s.header().with("name", "x").without("description").without("design")
                .without("encryption")).yaml();
    }

    /** The designs and modes under which the minimal scenario ends in error, per mode. */
    private static String whereItErrs(final ShrunkFailure f) {
        final Scenario s;
        try {
            s = BuiltinScenarios.parser().parse(f.fileName(), f.minimal().yaml());
        } catch (final org.ttmsim.scenario.ScenarioException e) {
            throw new IllegalStateException(e);
        }
        final Map<String, List<String>> perMode = new LinkedHashMap<>();
        for (final String mode : Cells.MODES) {
            final List<String> designs = new ArrayList<>();
            for (final String design : Cells.DESIGNS) {
                final Cells.Cell c = new Cells.Cell(f.original().cell().generated(), s, design, mode);
                if (Cells.run(c).error()) {
                    designs.add(design);
                }
            }
            perMode.put(mode, designs);
        }
        if (new LinkedHashSet<>(perMode.values()).size() == 1) {
            final List<String> designs = perMode.values().iterator().next();
            return designs.isEmpty() ? "nowhere (flaky?)" : "every mode, " + designs(designs);
        }
        final List<String> parts = new ArrayList<>();
        perMode.forEach((mode, designs) -> parts.add("`" + mode + "`: " + (designs.isEmpty() ? "none"
                : designs(designs))));
        return String.join("; ", parts);
    }

    /** "every design", "every design but `x`", or the list. */
    private static String designs(final List<String> designs) {
        if (designs.size() == Cells.DESIGNS.size()) {
            return "every design";
        }
        if (designs.size() * 2 > Cells.DESIGNS.size()) {
            return "every design but " + Cells.DESIGNS.stream().filter(d -> !designs.contains(d))
                    .map(d -> "`" + d + "`").toList();
        }
        return designs.stream().map(d -> "`" + d + "`").toList().toString();
    }

    private static long seedProperty() {
        final String s = System.getProperty("ttmsim.gen.seed");
        return s == null || s.isBlank() ? GeneratedScenariosIT.DEFAULT_MASTER : ScenarioGenerator.parseSeed(s);
    }

    private static int cellsProperty() {
        final String s = System.getProperty("ttmsim.gen.cells");
        return s == null || s.isBlank() ? GeneratedScenariosIT.DEFAULT_CELLS : Integer.parseInt(s.strip());
    }
}
