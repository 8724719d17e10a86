package org.ttmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ttmsim.report.ResultJson;
import org.ttmsim.report.TextSummary;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ttmsim run FILE... [--design D] [--mode M] [--json] [--trace]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run scenario files on the emulated machine and report what every agent saw.",
            "",
            "Each step is printed with its result; every read as hex and text; each broken invariant",
            "with the chain of emulated events that led to it (fault, PTE with its bits, key, frame).",
            "Example:  ttmsim run my.yaml --design pre-2019 --mode sev --trace"})
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (SPEC §2 YAML) or directories of them.")
    private List<Path> files;

    @Option(names = "--design", paramLabel = "D",
            description = "Override the file's design (see `ttmsim designs`).")
    private String design;

    @Option(names = "--mode", paramLabel = "M",
            description = "Override machine.encryption: none, sme, sev, sev-snp, tdx.")
    private String mode;

    @Option(names = "--json", description = "Print one SPEC §3 result object per run, one per line (JSON Lines).")
    private boolean json;

    @Option(names = "--trace", description = "Also print every emulated event (fault, PTE insert, zap, flush, DMA, hypercall).")
    private boolean trace;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String bad = Overrides.check(design, mode);
        if (bad != null) {
            err.println("error: " + bad);
            return ExitCodes.BAD_INPUT;
        }
        final List<Scenario> scenarios;
        try {
            scenarios = ScenarioFiles.load(files);
        } catch (final ScenarioFiles.BadInput e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        boolean allPassed = true;
        for (final Scenario s : scenarios) {
            final RunResult r = ScenarioRunner.run(s, new RunOptions(design, mode, trace));
            allPassed &= r.passed();
            out.print(json ? ResultJson.line(r) + "\n" : TextSummary.render(r, trace));
            if (json && trace) {
                r.trace().forEach(line -> err.println(line));
            }
        }
        out.flush();
        return allPassed ? ExitCodes.OK : ExitCodes.EXPECTATION_FAILED;
    }
}
