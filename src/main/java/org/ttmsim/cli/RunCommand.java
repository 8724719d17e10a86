package org.ttmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ttmsim.report.ChromeTrace;
import org.ttmsim.report.ResultJson;
import org.ttmsim.report.TextSummary;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.Context;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.RunRecording;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;
import org.ttmsim.sim.StepResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ttmsim run FILE... [--design D] [--mode M] [--kernel R] [--json] [--trace] [--chrome-trace OUT.json]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run scenario files on the emulated machine and report what every agent saw.",
        description = {"Each step is printed with its result; every read as hex and text; each broken invariant",
            "with the chain of emulated events that led to it (fault, PTE with its bits, key, frame).",
            "Examples:  ttmsim run my.yaml --design pre-2019 --mode sev --trace",
            "           ttmsim run my.yaml --design mmap-time --kernel v5.6     (the design on another kernel)",
            "           ttmsim run 01-sev-device-writes-user-reads --design pre-2019 --chrome-trace f1.json",
            "                 (then open f1.json in ui.perfetto.dev or chrome://tracing: a track per agent)"})
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Scenario files (YAML, docs/SCENARIOS.md), directories of them, or built-in ids"
                    + " (`ttmsim scenarios`).")
    private List<Path> files;

    @CommandLine.Mixin
    private DesignClasses designClasses = new DesignClasses();

    @Option(names = "--design", paramLabel = "D",
            description = "Override the file's design (see `ttmsim designs`).")
    private String design;

    @Option(names = "--mode", paramLabel = "M",
            description = "Override machine.encryption: none, sme, sev, sev-snp, tdx.")
    private String mode;

    @Option(names = "--kernel", paramLabel = "R",
            description = "Run on kernel release R (e.g. v5.6, v6.9; `ttmsim kernels`), overriding the file's kernel:"
                    + " and the design's own release.")
    private String kernel;

    @Option(names = "--read-bytes", paramLabel = "N",
            description = "Keep the first N bytes of each read in the output (default 4096; a size such as 64KiB, or"
                    + " 'all' for every byte up to 2 GiB). Every byte is judged and compared with expect: whatever N is.")
    private String readBytes;

    @Option(names = "--json", description = "Print one result object (docs/SCENARIOS.md) per run, one per line (JSON Lines).")
    private boolean json;

    @Option(names = "--trace", description = "Also print every emulated event (fault, PTE insert, zap, flush, DMA, hypercall).")
    private boolean trace;

    @Option(names = "--chrome-trace", paramLabel = "OUT.json",
            description = "Also write every emulated event of the run(s) to OUT.json in the Chrome trace event format,"
                    + " for Perfetto (ui.perfetto.dev) or chrome://tracing: a process per agent (CPU with a thread per"
                    + " address space, device, kernel with a thread per component, hypervisor) plus one slice per step,"
                    + " at simulated time (ts in us = simulated_ns / 1000). Several files: one block of pids per run"
                    + " (run N has pids 10(N-1)+1..10(N-1)+5), all in OUT.json.")
    private Path chromeTrace;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        String bad = Overrides.checkNoEmptyItems(spec);
        bad = bad != null ? bad : designClasses.load();
        bad = bad != null ? bad : Overrides.check(design, mode);
        bad = bad != null ? bad : Overrides.checkKernel("--kernel", kernel);
        if (bad != null) {
            err.println("error: " + bad);
            return ExitCodes.BAD_INPUT;
        }
        final long kept = readBytes == null ? Context.DEFAULT_READ_BYTES_KEPT
                : "all".equals(readBytes) ? StepResult.MAX_KEPT_BYTES : org.ttmsim.scenario.Sizes.parse(readBytes);
        if (kept < 0 || kept > StepResult.MAX_KEPT_BYTES) {
            err.println("error: --read-bytes: expected a size below 2GiB (a Java array's limit) such as 4096 or 64KiB, or"
                    + " 'all', found '" + readBytes + "'");
            return ExitCodes.BAD_INPUT;
        }
        if (chromeTrace != null && !OutputFiles.writable(chromeTrace)) {
            err.println(OutputFiles.notWritable(chromeTrace));
            return ExitCodes.BAD_INPUT;
        }
        final List<Scenario> scenarios;
        try {
            scenarios = ScenarioFiles.load(files);
        } catch (final ScenarioFiles.BadInput e) {
            e.print(err);
            return ExitCodes.BAD_INPUT;
        }
        final List<String> impossible = scenarios.stream()
                .map(s -> ScenarioRunner.configurationProblem(s, new RunOptions(design, mode, kernel, false)))
                .filter(java.util.Objects::nonNull).toList();
        if (!impossible.isEmpty()) {
            impossible.forEach(p -> err.println("error: " + p));
            return ExitCodes.BAD_INPUT;
        }
        final List<RunResult> results = new java.util.ArrayList<>();
        final List<RunRecording> recordings = new java.util.ArrayList<>();
        for (final Scenario s : scenarios) {
            final RunOptions options = new RunOptions(design, mode, kernel, trace, 0, kept);
            final RunResult r;
            if (chromeTrace != null) {
                final RunRecording recording = ScenarioRunner.record(s, options);
                recordings.add(recording);
                r = recording.result();
            } else {
                r = ScenarioRunner.run(s, options);
            }
            results.add(r);
            out.print(json ? ResultJson.line(r, trace) + "\n" : TextSummary.render(r, trace));
        }
        out.flush();
        if (chromeTrace != null && !OutputFiles.write(err, chromeTrace, w -> ChromeTrace.write(recordings, w))) {
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.of(results);
    }
}
