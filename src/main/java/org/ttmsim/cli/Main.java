package org.ttmsim.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ttmsim} command: picocli wiring only; every command calls one entry point. */
@Command(name = "ttmsim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "An executable model of the Linux DRM TTM memory manager on memory-encrypted machines",
            "(AMD SME, SEV, SEV-SNP; Intel TDX). Scenarios run on emulated hardware: real AES",
            "ciphertext in emulated DRAM, page tables with the encryption bit, TLBs, DMA, SWIOTLB.",
            "",
            "Start with:  ttmsim matrix          (every built-in scenario x design x mode)",
            "             ttmsim run FILE        (one scenario, step by step)",
            "             ttmsim explore         (search operation sequences for broken invariants)",
            ""},
        subcommands = {RunCommand.class, MatrixCommand.class, DesignsCommand.class, KernelsCommand.class,
            ScenariosCommand.class, ExploreCommand.class, ExploreMergeCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 every run held its expectations; 1 some run failed (an expectation did not hold,",
            "or an invariant broke that the scenario does not expect); 2 bad input, or output that could not be",
            "written; 3 a run could not complete because of an error in the model (please report it with its",
            "trace). run and matrix exit alike.",
            "The scenario format: docs/SCENARIOS.md; the designs and their sources: docs/DESIGNS.md."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Help is written for 100 columns. */
    private static final int USAGE_WIDTH = 100;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * What a run that ran out of the JVM's heap prints (exit 3): not a limit of the kernel but of this JVM.
     * The model keeps about 12 KiB of heap for every 4 KiB page an access touches (the DRAM frame's bytes,
     * the oracle's copy of the logical content with its written-bytes map, per-line write stamps), so
     * accesses of gigabytes need more than the JVM's default heap (a quarter of RAM).
     */
    static final String OUT_OF_MEMORY = "error: out of memory: the model holds about 12 KiB of heap for each 4 KiB"
            + " page an access touches, and this run needs more than the JVM's maximum heap. Give it more"
            + " (TTMSIM_JAVA_OPTS=-Xmx24g ./ttmsim ...), run fewer cells at once (matrix --threads 1), or touch"
            + " fewer pages.";

    public static void main(final String[] args) {
        int code;
        final PrintWriter out = new PrintWriter(System.out, true);
        final PrintWriter err = new PrintWriter(System.err, true);
        try {
            code = outputWritten(execute(args, out, err), out, err);
        } catch (final OutOfMemoryError e) {
            // Unwound to here, the run's world is garbage: there is heap again to say why.
            System.out.flush();
            System.err.println(OUT_OF_MEMORY);
            code = ExitCodes.MODEL_ERROR;
        }
        System.exit(code);
    }

    /**
     * {@code code}, or 2 when {@code out} failed to write (a full disk, a closed pipe): a PrintWriter keeps
     * going after a failed write, so without this the lost output would end in the run's own status, 0 for a
     * clean matrix.
     */
    static int outputWritten(final int code, final PrintWriter out, final PrintWriter err) {
        if (!out.checkError()) {
            return code;
        }
        err.println("error: cannot write the standard output (a full disk or a closed pipe): the output is"
                + " incomplete");
        return ExitCodes.BAD_INPUT;
    }

    /** Whether {@code e} or one of its causes is the JVM running out of heap. */
    static boolean outOfMemory(final Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command line with the given streams; returns the exit code (for tests). */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err) {
        final CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (outOfMemory(ex)) { // a matrix cell's thread ran out of heap
                err.println(OUT_OF_MEMORY);
                return ExitCodes.MODEL_ERROR;
            }
            err.println("error: internal: " + ex);
            ex.printStackTrace(err);
            return ExitCodes.MODEL_ERROR;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            if (ex instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                // The first word is not a command (picocli says "Unmatched argument at index 0").
                err.println("error: unknown command '" + u.getUnmatched().get(0) + "'; the commands: "
                        + String.join(", ", u.getCommandLine().getSubcommands().keySet()));
            } else {
                err.println("error: " + ex.getMessage());
            }
            // "Did you mean": matrix --kernel -> --kernels, run --designs -> --design.
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            // The synopsis, not the whole help: the error stays on the screen.
            final CommandLine bad = ex.getCommandLine();
            final CommandLine.Help help = bad.getHelp();
            err.print(help.synopsisHeading());
            err.print(help.synopsis(help.synopsisHeadingLength()));
            err.println("Run '" + bad.getCommandSpec().qualifiedName() + " --help' for every option.");
            return ExitCodes.BAD_INPUT;
        });
        final java.util.List<org.ttmsim.design.Design> before;
        try {
            before = org.ttmsim.design.Designs.all(); // the class path's designs, found (or refused) up front
        } catch (final IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        final int code;
        try {
            code = cl.execute(args);
        } finally {
            // --design-class loaded designs for this command line only (tests run many in one JVM).
            for (final org.ttmsim.design.Design d : org.ttmsim.design.Designs.all()) {
                if (!before.contains(d)) {
                    org.ttmsim.design.Designs.unregister(d);
                }
            }
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * {@code ttmsim} without a command: the help, on standard error, and exit 2 (bad input), so that a script
     * that lost its command word fails instead of passing on an empty result ({@code ttmsim --help} exits 0).
     */
    @Override
    public Integer call() {
        final CommandLine cl = spec.commandLine();
        final PrintWriter err = cl.getErr();
        err.println("error: missing a command");
        cl.usage(err);
        return ExitCodes.BAD_INPUT;
    }

    /** The version from the jar manifest (Maven's project version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ttmsim " + (v == null ? "dev" : v)};
        }
    }
}
