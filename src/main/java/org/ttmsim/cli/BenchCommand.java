package org.ttmsim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ttmsim.bench.Bench;
import org.ttmsim.bench.BenchConfig;
import org.ttmsim.bench.BenchReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ttmsim bench [--quick] [--json]}: how fast the emulation runs, beside baselines of the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Measure the emulator's speed and memory against baselines of the same run.",
        description = {"Measure the emulator against baselines measured in the same run:",
            "the AES engine vs raw AES/ECB, mapped CPU writes vs arraycopy + AES, first-touch faults per",
            "second, matrix cells per second and the slowest cell, explored states per second, heap per",
            "touched frame and per untouched GiB of RAM. Each figure runs in a JVM of its own; timings are",
            "medians, wall-clock for the ratios (run on a quiet machine) and one thread's CPU time for the",
            "matrix and explore figures.",
            "About a minute and a half (the matrix figure runs in three JVMs); --quick about twenty seconds."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "A smoke run of about twenty seconds: figures not comparable with a full run, no target judged.")
    private boolean quick;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    private boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final BenchReport report = Bench.run(quick ? BenchConfig.quickRun() : BenchConfig.full(), what -> {
            err.println("bench: " + what + "...");
            err.flush();
        });
        out.print(json ? report.json() + System.lineSeparator() : report.table());
        out.flush();
        return ExitCodes.OK;
    }
}
