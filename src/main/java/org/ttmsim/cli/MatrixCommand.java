package org.ttmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ttmsim.design.Designs;
import org.ttmsim.report.MatrixHtml;
import org.ttmsim.report.MatrixJson;
import org.ttmsim.report.MatrixSummary;
import org.ttmsim.report.MatrixTable;
import org.ttmsim.report.MatrixTotals;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ttmsim matrix [PATH...] [--designs a,b] [--modes a,b] [--kernels a,b] [--summary] [--json FILE]
 * [--html FILE]}.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        header = "Run every scenario under every design and mode and print which invariants broke.",
        description = {"Without PATH, the built-in library (`ttmsim scenarios`) runs. Cells run in parallel on all",
            "cores; the output order is fixed, so the same input gives byte-identical output.",
            "Each design runs on its own kernel release unless --kernels names releases to run every design on.",
            "After the blocks comes one summary table: a row per design and kernel, a column per mode, each cell",
            "saying how many scenarios broke invariants there and which (\"3: GA\"), with !N for failed runs,",
            "EN for runs that could not complete and - where the kernel cannot boot the mode.",
            "A cell fails (!) when an expectation of its scenario did not hold, or an invariant broke that the",
            "scenario does not expect (expect.violations, expect.cases: docs/SCENARIOS.md); a case's note is",
            "printed under the scenario's block. Exit status: 3 if a run could not complete, else 1 if a cell",
            "failed, else 0; `ttmsim run` gives each cell the same verdict.",
            "Examples:  ttmsim matrix --summary                      (only the summary: the answer at a glance)",
            "           ttmsim matrix --designs pre-2019,upstream-2024 --modes sev --json m.json --html m.html",
            "Drill into one cell with:  ttmsim run FILE --design D --mode M --kernel R --trace"})
final class MatrixCommand implements Callable<Integer> {
    /** Trace lines kept per cell in the HTML report: the page must stay small enough to open. */
    private static final int HTML_TRACE_LINES = 120;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Scenario files or directories (default: built-in library).")
    private List<Path> paths = new ArrayList<>();

    @CommandLine.Mixin
    private DesignClasses designClasses = new DesignClasses();

    @Option(names = "--designs", split = ",", paramLabel = "a,b",
            description = "Designs to run (default: every design of `ttmsim designs`: the built-in ones, then yours).")
    private List<String> designs;

    @Option(names = "--modes", split = ",", paramLabel = "a,b", description = "Modes to run (default: none,sme,sev,sev-snp,tdx).")
    private List<String> modes;

    @Option(names = "--kernels", split = ",", paramLabel = "a,b",
            description = "Kernel releases to run every design on, e.g. v5.6,v5.7,v6.12 (`ttmsim kernels`); default: each"
                    + " design on its own release (`ttmsim designs`), or the file's kernel:.")
    private List<String> kernels;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the matrix with every result as JSON.")
    private Path jsonFile;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write one self-contained HTML report (opens offline): click a cell for its steps, "
                    + "violations, event trace and frames.")
    private Path htmlFile;

    @Option(names = "--summary",
            description = "Print only the summary table (a row per design and kernel, a column per mode), the legend"
                    + " and the cells line, not the per-scenario blocks; --json and --html still get everything.")
    private boolean summaryOnly;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--color", negatable = true, description = "Colour the table (default: only on a terminal).")
    private Boolean colour;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String empty = Overrides.checkNoEmptyItems(spec);
        final String loadError = empty != null ? empty : designClasses.load();
        if (loadError != null) {
            err.println("error: " + loadError);
            return ExitCodes.BAD_INPUT;
        }
        final List<String> ds = designs == null ? Designs.ids() : designs;
        final List<String> ms = modes == null ? Overrides.MODES : modes;
        String bad = Overrides.checkList("--designs", ds, Designs.ids());
        bad = bad != null ? bad : Overrides.checkList("--modes", ms, Overrides.MODES);
        final List<String> ks = kernels == null ? List.of() : kernels;
        for (final String k : ks) {
            bad = bad != null ? bad : Overrides.checkKernel("--kernels", k);
        }
        if (bad != null || threads < 1) {
            err.println("error: " + (bad != null ? bad : "--threads must be at least 1"));
            return ExitCodes.BAD_INPUT;
        }
        for (final Path report : new Path[] {jsonFile, htmlFile}) {
            if (report != null && !OutputFiles.writable(report)) {
                err.println(OutputFiles.notWritable(report));
                return ExitCodes.BAD_INPUT;
            }
        }
        final List<Scenario> scenarios;
        try {
            scenarios = paths.isEmpty() ? BuiltinScenarios.all() : ScenarioFiles.load(paths);
        } catch (final ScenarioFiles.BadInput e) {
            e.print(err);
            return ExitCodes.BAD_INPUT;
        }
        final List<String> impossible = new ArrayList<>();
        for (final Scenario s : scenarios) {
            for (final String m : ms) {
                final String p = org.ttmsim.sim.ScenarioRunner.machineProblem(s, m);
                if (p != null) {
                    impossible.add(p);
                }
            }
        }
        if (!impossible.isEmpty()) {
            impossible.forEach(p -> err.println("error: " + p));
            err.println("error: leave those modes out with --modes, or change the machine");
            return ExitCodes.BAD_INPUT;
        }
        final Matrix.Axes axes = new Matrix.Axes(ds, ks.stream().map(k -> org.ttmsim.release.KernelRelease.parse(k).id())
                .toList(), ms);
        final List<Matrix.Cell> cells = Matrix.cells(scenarios, axes);
        final Progress progress = new Progress(err, cells.size(), System.console() != null);
        final List<RunResult> results = Matrix.run(cells, threads, htmlFile != null, HTML_TRACE_LINES, progress::update);
        progress.finish();
        final boolean tty = colour != null ? colour : System.console() != null;
        if (!summaryOnly) {
            out.print(MatrixTable.blocks(results, axes, tty));
        }
        out.print(MatrixSummary.of(results, axes).render(tty));
        out.println();
        out.print(MatrixTable.legend());
        out.print(MatrixSummary.legend());
        out.printf("%d scenarios x %d designs%s x %d modes = %d cells%n", scenarios.size(), ds.size(),
                ks.isEmpty() ? "" : " x " + ks.size() + " kernels", ms.size(), cells.size());
        final MatrixTotals totals = MatrixTotals.of(results);
        // The reports first, so that the last line states the status the command exits with.
        boolean written = jsonFile == null || OutputFiles.write(err, jsonFile, MatrixJson.render(results, axes));
        // Traces are kept for the cells worth drilling into: clean cells would only make the page heavy.
        final List<RunResult> forHtml = results.stream().map(r -> r.clean() ? r.withoutTrace() : r).toList();
        written = written && (htmlFile == null || OutputFiles.write(err, htmlFile, MatrixHtml.render(forHtml, axes)));
        // The HTML report's totals line counts the same partition (MatrixTotals) and states this status;
        // run exits by the same rule (ExitCodes.of).
        final int status = written ? ExitCodes.of(results) : ExitCodes.BAD_INPUT;
        out.println(totals.text() + "; exit status " + status + (written ? "" : " (a report could not be written)"));
        out.flush();
        return status;
    }

    /** A progress bar on stderr, drawn only on a terminal. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean enabled;
        private int lastDrawn = -1;

        Progress(final PrintWriter err, final int total, final boolean enabled) {
            this.err = err;
            this.total = total;
            this.enabled = enabled;
        }

        synchronized void update(final int done) {
            final int pct = total == 0 ? 100 : done * 100 / total;
            if (!enabled || pct == lastDrawn) {
                return;
            }
            lastDrawn = pct;
            final int bar = pct * 30 / 100;
            err.print("\r[" + "#".repeat(bar) + " ".repeat(30 - bar) + "] " + done + "/" + total + " cells");
            err.flush();
        }

        void finish() {
            if (enabled) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }
}
