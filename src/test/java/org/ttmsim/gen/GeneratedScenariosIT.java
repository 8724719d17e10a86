package org.ttmsim.gen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttmsim.cli.Main;
import org.ttmsim.report.ResultJson;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * The safety net of issue #16: scenarios from {@link ScenarioGenerator}, each run under every design
 * and mode, must (a) never end in verdict {@code error} (a model error), (b) give identical
 * result lines when the same cells run twice, (c) give identical lines from {@link Matrix#run} on one
 * thread and on four, and (d) through the CLI, exit with the documented codes (0 held, 1 an expectation did
 * not hold, 2 bad input, 3 a model error).
 *
 * <p>The cells come from one master seed: {@code -Dttmsim.gen.seed=S} (decimal or {@code 0x} hex;
 * default {@value #DEFAULT_MASTER_HEX}) and {@code -Dttmsim.gen.cells=N} (default
 * {@value #DEFAULT_CELLS}; rounded up to whole scenarios of 50 cells); {@code -Dttmsim.gen.scenario=S}
 * runs the one scenario of seed S instead. The first run goes cell by cell (on all cores), so an
 * exception that escapes the runner is caught and counted as a model error; cells that escaped are
 * left out of the two {@code Matrix.run} passes (they would abort them). Lines are compared with an
 * error's stack cut after the runner's frame ({@link Cells#comparable}): the frames below it belong to
 * the caller and differ between callers by construction. A cell whose lines differ is shrunk when two
 * runs of it in a row already differ.
 *
 * <p>On a model error the first failing cell of each root cause (exception class and top model frame;
 * at most {@value #SHRUNK_CAUSES}) is shrunk by {@link Shrinker} — same design, mode and root cause —
 * and the failure message prints the seeds, every generated option, the minimal YAML (also written to
 * {@code target/gen-failures/}), the error and the lines that reproduce it.
 *
 * <p>Not covered: verdicts other than {@code error} are not judged (generated files state no
 * expectations), nor is anything the generator does not generate (see {@link ScenarioGenerator}).
 */
class GeneratedScenariosIT {
    static final String DEFAULT_MASTER_HEX = "0x00000016_5eed_2026";
    static final long DEFAULT_MASTER = ScenarioGenerator.parseSeed(DEFAULT_MASTER_HEX);
    static final int DEFAULT_CELLS = 2500;
    static final int SHRUNK_CAUSES = 4;
    static final Path FAILURES = Path.of("target", "gen-failures");

    /** Everything the tests judge, computed once. */
    private static GenRun run;

    @BeforeAll
    static void runEveryCell() {
        run = GenRun.fromSystemProperties();
        System.out.println(run.summary());
    }

    @Test
    void shouldParseEveryGeneratedScenario() {
        assertThat(run.rejected).as("generated scenarios the parser rejects (a bug of ScenarioGenerator)").isEmpty();
        assertThat(run.cells).isNotEmpty();
    }

    @Test
    void shouldEndNoCellInAModelError() {
        final List<Cells.Outcome> errors = run.first.stream().filter(Cells.Outcome::error).toList();
        if (errors.isEmpty()) {
            return;
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d of %d generated cells (%d scenarios x %d designs x %d modes) could not complete: "
                        + "verdict error, a model error.%n", errors.size(), run.cells.size(), run.gens.size(),
                Cells.DESIGNS.size(), Cells.MODES.size()));
        final Map<String, List<Cells.Outcome>> byCause = GenRun.byRootCause(errors);
        sb.append("Root causes (exception at its top model frame):\n");
        byCause.forEach((cause, list) -> sb.append(String.format("  %5d cells, %3d scenarios  %s%n", list.size(),
                list.stream().map(o -> o.cell().generated().seed()).distinct().count(), cause)));
        int n = 0;
        for (final Map.Entry<String, List<Cells.Outcome>> e : byCause.entrySet()) {
            if (n++ == SHRUNK_CAUSES) {
                sb.append(String.format("%n(%d more root causes not shrunk here; replay with -Dttmsim.gen.scenario=SEED)%n",
                        byCause.size() - SHRUNK_CAUSES));
                break;
            }
            final ShrunkFailure f = ShrunkFailure.of(e.getValue().get(0));
            final Path file = f.write(FAILURES);
            sb.append(String.format("%nFailure %d of %d root causes, first failing cell shrunk:%n", n, byCause.size()));
            sb.append(f.describe(run.master, run.mavenReplay(), file, 8));
        }
        throw new AssertionError(sb.toString());
    }

    @Test
    void shouldGiveIdenticalResultsWhenTheSameCellsRunTwice() {
        assertThat(run.matrixFailure).as("Matrix.run on one thread").isNull();
        final List<String> first = run.runnableFirstLines();
        assertThat(run.matrixOne).hasSameSizeAs(first);
        assertThat(mismatches(first, run.matrixOne, run.runnable()))
                .as("cells whose second run (Matrix.run, one thread) differs from the first (cell by cell); "
                        + "replay: %s", run.mavenReplay()).isEmpty();
    }

    @Test
    void shouldGiveIdenticalResultsOnOneThreadAndOnFour() {
        assertThat(run.matrixFailure).as("Matrix.run").isNull();
        assertThat(run.matrixFour).hasSameSizeAs(run.matrixOne);
        assertThat(mismatches(run.matrixOne, run.matrixFour, run.runnable()))
                .as("cells whose Matrix.run result on four threads differs from one thread; replay: %s",
                        run.mavenReplay()).isEmpty();
    }

    /**
     * The exit codes through the CLI for a handful of generated files (up to two whose own run passes, fails
     * and errs; one passing file with an {@code expect.violations} added that cannot hold; two invalid
     * variants): {@code run} exits 0, 1 or 3 as its results say and prints
     * the same verdict as the in-process run; {@code matrix} exits 3 on any error cell, else 1 when a
     * cell's verdict is fail (as {@code run} exits), and reports the verdicts {@code run} gives; bad input exits 2
     * without a stack trace.
     */
    @Test
    void shouldExitWithTheCodesOfSpecForGeneratedFiles(@TempDir final Path dir) throws IOException, ScenarioException {
        final List<String> problems = new ArrayList<>();
        final List<String> checked = new ArrayList<>();
        for (final ScenarioGenerator.Generated g : run.cliSample()) {
            final Path file = Files.writeString(dir.resolve(g.fileName()), g.yaml(), StandardCharsets.UTF_8);
            final Scenario s = run.parsed.get(run.gens.indexOf(g));
            final String where = "seed " + ScenarioGenerator.hex(g.seed()) + " (" + file.getFileName() + ")";
            // run, the file's own design and mode
            final RunResult own = ScenarioRunner.run(s, RunOptions.defaults());
            final Outcome ownRun = cli("run", file.toString(), "--json");
            checkRun(problems, where, ownRun, List.of(own));
            checked.add(ScenarioGenerator.hex(g.seed()) + ": own " + own.verdict() + " -> run exit " + ownRun.code);
            // run, overridden to a cell that errs if there is one, else the last cell
            final List<Cells.Outcome> outcomes = run.outcomesOf(g);
            final Cells.Outcome pick = outcomes.stream().filter(Cells.Outcome::error).findFirst()
                    .orElse(outcomes.get(outcomes.size() - 1));
            checkRun(problems, where + " --design " + pick.cell().design() + " --mode " + pick.cell().mode(),
                    cli("run", file.toString(), "--json", "--design", pick.cell().design(), "--mode",
                            pick.cell().mode()), List.of(pick.result()));
            // matrix: every cell of the file
            final Path json = dir.resolve(g.fileName() + ".matrix.json");
            final Outcome m = cli("matrix", file.toString(), "--threads", "1", "--json", json.toString());
            checked.set(checked.size() - 1, checked.get(checked.size() - 1) + ", matrix exit " + m.code);
            final int expected = outcomes.stream().anyMatch(Cells.Outcome::error) ? 3
                    : outcomes.stream().anyMatch(o -> "fail".equals(o.result().verdict())) ? 1 : 0;
            if (m.code != expected) {
                problems.add(where + ": matrix exited " + m.code + ", the docs say " + expected + "\n" + m.err);
            }
            final JsonNode cells = ResultJson.mapper().readTree(json.toFile()).get("cells");
            for (int i = 0; i < outcomes.size(); i++) {
                final String inProcess = outcomes.get(i).result().verdict();
                final String reported = cells.get(i).get("result").get("verdict").asText();
                if (!inProcess.equals(reported)) {
                    problems.add(where + ": matrix cell " + outcomes.get(i).cell() + " has verdict " + reported
                            + ", run gives " + inProcess);
                }
            }
        }
        // exit 1: a generated file that passes, with an expectation that cannot hold added
        for (final ScenarioGenerator.Generated g : run.cliSample()) {
            final Scenario plain = run.parsed.get(run.gens.indexOf(g));
            if (!ScenarioRunner.run(plain, RunOptions.defaults()).passed()) {
                continue;
            }
            final String text = g.yaml() + "expect:\n  violations: [accounting, host-leak]\n";
            final Path file = Files.writeString(dir.resolve("expect-" + g.fileName()), text, StandardCharsets.UTF_8);
            final Scenario s = BuiltinScenarios.parser().parse(file.toString(), text);
            final RunResult own = ScenarioRunner.run(s, RunOptions.defaults());
            final Outcome o = cli("run", file.toString(), "--json");
            checkRun(problems, "seed " + ScenarioGenerator.hex(g.seed()) + " with expect.violations added", o,
                    List.of(own));
            checked.add(file.getFileName() + ": own " + own.verdict() + " -> run exit " + o.code);
            break;
        }
        for (final long seed : ScenarioGenerator.scenarioSeeds(run.master ^ 0xbad, 2)) {
            final String text = ScenarioGenerator.mutated(seed);
            final Path file = Files.writeString(dir.resolve("bad-" + Long.toHexString(seed) + ".yaml"), text,
                    StandardCharsets.UTF_8);
            final Outcome o = cli("run", file.toString());
            checked.add(file.getFileName() + ": invalid -> run exit " + o.code);
            if (o.code != 2 || !o.err.startsWith("error: " + file + ":") || o.err.contains("\tat ")) {
                problems.add("invalid variant " + file.getFileName() + ": exited " + o.code
                        + " (documented: 2, with error: FILE:LINE:COL: message and no stack trace)\n" + o.err + "\n" + text);
            }
        }
        System.out.println("[gen] CLI exit codes checked: " + String.join("; ", checked));
        assertThat(problems).as("CLI exit codes and verdicts against docs/SCENARIOS.md; replay: %s", run.mavenReplay())
                .isEmpty();
    }

    /** Checks one {@code run --json}: exit code as documented and each printed verdict against {@code expected}. */
    private static void checkRun(final List<String> problems, final String where, final Outcome o,
            final List<RunResult> expected) throws IOException {
        if (expected.stream().anyMatch(r -> ScenarioRunner.NOT_APPLICABLE.equals(r.verdict()))) {
            // An override the kernel cannot boot (a TDX guest on v5.4) is bad input for run: exit 2, nothing run.
            if (o.code != 2 || !o.out.isEmpty() || !o.err.contains("cannot boot")) {
                problems.add(where + ": run exited " + o.code + " for an unbootable override, the docs say 2\n" + o.err);
            }
            return;
        }
        final int code = expected.stream().anyMatch(r -> "error".equals(r.verdict())) ? 3
                : expected.stream().allMatch(RunResult::passed) ? 0 : 1;
        if (o.code != code) {
            problems.add(where + ": run exited " + o.code + ", the docs say " + code + " for verdicts "
                    + expected.stream().map(RunResult::verdict).toList() + "\n" + o.err);
        }
        final List<String> lines = o.out.lines().toList();
        for (int i = 0; i < expected.size(); i++) {
            final String verdict = i < lines.size() ? ResultJson.mapper().readTree(lines.get(i)).get("verdict").asText()
                    : "(missing)";
            if (!verdict.equals(expected.get(i).verdict())) {
                problems.add(where + ": run --json printed verdict " + verdict + ", in-process run gives "
                        + expected.get(i).verdict());
            }
        }
    }

    /** What one command line did. */
    private record Outcome(int code, String out, String err) {
    }

    /** {@code ttmsim ARGS} in-process, as {@code org.ttmsim.cli.CliRunner} does. */
    private static Outcome cli(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    /**
     * Each cell whose two lines differ (at most three): seeds, options, design and mode, the first
     * difference, the scenario (written to {@code target/gen-failures/}), how to reproduce, and — when
     * running the cell twice in a row in this thread already differs — the scenario shrunk under that
     * predicate. A difference that only shows among other cells (shared state between runs or threads)
     * is not shrunk; the message says so.
     */
    private static List<String> mismatches(final List<String> a, final List<String> b, final List<Cells.Cell> cells) {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()) && out.size() < 3; i++) {
            if (!a.get(i).equals(b.get(i))) {
                out.add(describeMismatch(cells.get(i), a.get(i), b.get(i)));
            }
        }
        return out;
    }

    private static String describeMismatch(final Cells.Cell cell, final String a, final String b) {
        final ScenarioGenerator.Generated g = cell.generated();
        final StringBuilder sb = new StringBuilder();
        sb.append("\n  master seed:    ").append(ScenarioGenerator.hex(run.master));
        sb.append("\n  scenario seed:  ").append(ScenarioGenerator.hex(g.seed()));
        sb.append("\n  options:        ").append(g.options());
        sb.append("\n  design / mode:  ").append(cell.design()).append(" / ").append(cell.mode());
        sb.append("\n  first difference:\n").append(firstDifference(a, b));
        final Path file = write(g.fileName(), g.yaml());
        sb.append("\n  scenario (").append(file).append("):\n");
        g.yaml().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        final Predicate<Scenario> differs = sc -> {
            final Cells.Outcome x = Cells.run(cell, sc);
            final Cells.Outcome y = Cells.run(cell, sc);
            return !x.comparableLine().equals(y.comparableLine());
        };
        if (differs.test(cell.scenario())) {
            final Shrinker.Result r = new Shrinker(BuiltinScenarios.parser(), differs, ShrunkFailure.MAX_CANDIDATES)
                    .shrink(g.scenario());
            final Path min = write(g.scenario().header().name() + "-nondeterministic.yaml", r.minimal().yaml());
            sb.append("  shrunk (two runs in a row already differ; ").append(r.candidates()).append(" candidates), ")
                    .append(min).append(":\n");
            r.minimal().yaml().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        } else {
            sb.append("  not shrunk: two runs of this cell in a row give the same line, so the difference comes from"
                    + " state shared with other cells or threads\n");
        }
        sb.append("  reproduce:\n    ").append(run.mavenReplay()).append("\n    ./ttmsim run ").append(file)
                .append(" --design ").append(cell.design()).append(" --mode ").append(cell.mode())
                .append(" --json   # twice, and compare\n");
        return sb.toString();
    }

    /** Both lines around their first differing character. */
    private static String firstDifference(final String a, final String b) {
        int at = 0;
        while (at < Math.min(a.length(), b.length()) && a.charAt(at) == b.charAt(at)) {
            at++;
        }
        final int from = Math.max(0, at - 80);
        return "    at char " + at + "\n    first:  …" + a.substring(from, Math.min(a.length(), at + 80))
                + "…\n    second: …" + b.substring(from, Math.min(b.length(), at + 80)) + "…";
    }

    private static Path write(final String name, final String text) {
        try {
            Files.createDirectories(FAILURES);
            return Files.writeString(FAILURES.resolve(name), text, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One run of the generated cells: the scenarios, the first run cell by cell, and the two
     * {@code Matrix.run} passes (one thread, four threads) over the cells that did not escape.
     */
    static final class GenRun {
        final long master;
        final int requestedCells;
        final Long onlyScenario;
        final List<ScenarioGenerator.Generated> gens = new ArrayList<>();
        final List<Scenario> parsed = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();
        final List<Cells.Cell> cells;
        final List<Cells.Outcome> first = new ArrayList<>();
        List<String> matrixOne = List.of();
        List<String> matrixFour = List.of();
        Throwable matrixFailure;
        final long[] nanos = new long[3];

        GenRun(final long master, final int requestedCells, final Long onlyScenario, final boolean matrixPasses) {
            this.master = master;
            this.requestedCells = requestedCells;
            this.onlyScenario = onlyScenario;
            final int perScenario = Cells.DESIGNS.size() * Cells.MODES.size();
            final long[] seeds = onlyScenario != null ? new long[] {onlyScenario}
                    : ScenarioGenerator.scenarioSeeds(master, (requestedCells + perScenario - 1) / perScenario);
            final ScenarioParser parser = BuiltinScenarios.parser();
            for (final long seed : seeds) {
                final ScenarioGenerator.Generated g = ScenarioGenerator.generate(seed);
                try {
                    parsed.add(parser.parse(g.fileName(), g.yaml()));
                    gens.add(g);
                } catch (final ScenarioException e) {
                    rejected.add(e.getMessage() + "\n" + g.yaml());
                }
            }
            cells = Cells.cells(gens, parsed);
            long t = System.nanoTime();
            first.addAll(Cells.runAll(cells, Runtime.getRuntime().availableProcessors()));
            nanos[0] = System.nanoTime() - t;
            if (!matrixPasses) {
                return;
            }
            final List<Matrix.Cell> runnable = runnable().stream().map(Cells.Cell::matrixCell).toList();
            try {
                t = System.nanoTime();
                matrixOne = Matrix.run(runnable, 1, false, done -> { }).stream().map(ResultJson::line).map(Cells::comparable).toList();
                nanos[1] = System.nanoTime() - t;
                t = System.nanoTime();
                matrixFour = Matrix.run(runnable, 4, false, done -> { }).stream().map(ResultJson::line).map(Cells::comparable).toList();
                nanos[2] = System.nanoTime() - t;
            } catch (final RuntimeException e) {
                matrixFailure = e;
            }
        }

        static GenRun fromSystemProperties() {
            final String seed = System.getProperty("ttmsim.gen.seed");
            final String cells = System.getProperty("ttmsim.gen.cells");
            final String only = System.getProperty("ttmsim.gen.scenario");
            return new GenRun(seed == null || seed.isBlank() ? DEFAULT_MASTER : ScenarioGenerator.parseSeed(seed),
                    cells == null || cells.isBlank() ? DEFAULT_CELLS : Integer.parseInt(cells.strip()),
                    only == null || only.isBlank() ? null : ScenarioGenerator.parseSeed(only), true);
        }

        /** The cells whose first run did not throw out of the runner. */
        List<Cells.Cell> runnable() {
            return first.stream().filter(o -> o.escaped() == null).map(Cells.Outcome::cell).toList();
        }

        /** The first run's lines of {@link #runnable()}, comparable across callers. */
        List<String> runnableFirstLines() {
            return first.stream().filter(o -> o.escaped() == null).map(Cells.Outcome::comparableLine).toList();
        }

        /** The first-run outcomes of one scenario, in Matrix order. */
        List<Cells.Outcome> outcomesOf(final ScenarioGenerator.Generated g) {
            return first.stream().filter(o -> o.cell().generated() == g).toList();
        }

        /**
         * A handful of scenarios for the CLI check: up to two whose own run ends in each of error,
         * fail and pass, none that escapes the runner.
         */
        List<ScenarioGenerator.Generated> cliSample() {
            final Map<String, List<ScenarioGenerator.Generated>> byVerdict = new LinkedHashMap<>();
            for (int i = 0; i < gens.size(); i++) {
                final ScenarioGenerator.Generated g = gens.get(i);
                if (outcomesOf(g).stream().anyMatch(o -> o.escaped() != null)) {
                    continue;
                }
                final String v = ScenarioRunner.run(parsed.get(i), RunOptions.defaults()).verdict();
                final List<ScenarioGenerator.Generated> l = byVerdict.computeIfAbsent(v, k -> new ArrayList<>());
                if (l.size() < 2) {
                    l.add(g);
                }
                if (byVerdict.values().stream().mapToInt(List::size).sum() == 6) {
                    break;
                }
            }
            return byVerdict.values().stream().flatMap(List::stream).toList();
        }

        /** The {@code mvn} line that replays this run. */
        String mavenReplay() {
            final StringBuilder sb = new StringBuilder("mvn -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=GeneratedScenariosIT -Dttmsim.gen.seed=")
                    .append(ScenarioGenerator.hex(master));
            if (requestedCells != DEFAULT_CELLS) {
                sb.append(" -Dttmsim.gen.cells=").append(requestedCells);
            }
            if (onlyScenario != null) {
                sb.append(" -Dttmsim.gen.scenario=").append(ScenarioGenerator.hex(onlyScenario));
            }
            return sb.toString();
        }

        /** Failing outcomes grouped by root cause, most cells first (ties: first seen first). */
        static Map<String, List<Cells.Outcome>> byRootCause(final List<Cells.Outcome> errors) {
            final Map<String, List<Cells.Outcome>> m = new LinkedHashMap<>();
            errors.forEach(o -> m.computeIfAbsent(o.rootCause(), k -> new ArrayList<>()).add(o));
            final List<Map.Entry<String, List<Cells.Outcome>>> sorted = new ArrayList<>(m.entrySet());
            sorted.sort((x, y) -> Integer.compare(y.getValue().size(), x.getValue().size()));
            final Map<String, List<Cells.Outcome>> out = new LinkedHashMap<>();
            sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        }

        String summary() {
            final Set<Long> failingSeeds = new LinkedHashSet<>();
            first.stream().filter(Cells.Outcome::error).forEach(o -> failingSeeds.add(o.cell().generated().seed()));
            final long errors = first.stream().filter(Cells.Outcome::error).count();
            return String.format("[gen] master seed %s: %d scenarios, %d cells; model errors in %d cells of %d scenarios;"
                            + " first run %.1f s (%.0f cells/s), Matrix.run 1 thread %.1f s, 4 threads %.1f s; replay: %s",
                    ScenarioGenerator.hex(master), gens.size(), cells.size(), errors, failingSeeds.size(),
                    nanos[0] / 1e9, cells.size() / Math.max(1e-9, nanos[0] / 1e9), nanos[1] / 1e9, nanos[2] / 1e9,
                    mavenReplay());
        }
    }
}
