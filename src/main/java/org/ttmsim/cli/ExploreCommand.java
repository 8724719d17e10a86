package org.ttmsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ttmsim.design.Designs;
import org.ttmsim.explore.BuiltinScopes;
import org.ttmsim.explore.ExploreConfig;
import org.ttmsim.explore.ExploreConfigReader;
import org.ttmsim.explore.Exploration;
import org.ttmsim.explore.Explorer;
import org.ttmsim.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ttmsim explore}: searches operation sequences for broken invariants (README, Exploring). */
@Command(name = "explore", mixinStandardHelpOptions = true,
        header = "Search operation sequences for ones that break an invariant; write the shortest.",
        description = {
            "Searches every sequence of a scope's operations, up to a depth, for one that breaks an invariant,",
            "under each design x mode x kernel, and writes the shortest one of each invariant, shrunk, as a",
            "scenario file that `ttmsim run` reproduces. A scope is a scenario file (machine, device, design,",
            "injections; steps may be empty) with an explore: section: buffers with their sizes, operations",
            "whose arguments may be {choose: [...]}, and a depth. The search is breadth-first (the first",
            "counterexample is a shortest one) over forked run states, skipping states seen before.",
            "Without a file it runs the built-in scopes (one per driver) over every design and mode.",
            "",
            "Example:",
            "  ttmsim explore builtin:vmwgfx --designs pre-2019,upstream-2024 --modes sev",
            "  ttmsim run explore-out/vmwgfx-pre-2019-sev-v5.3-cpu-garbage.yaml",
            "",
            "A scope file:",
            "  name: my-scope",
            "  machine: {encryption: sev}",
            "  device: {driver: vmwgfx, dma-alloc: true}",
            "  steps: []",
            "  explore:",
            "    depth: 4",
            "    buffers: {A: {size: 8KiB, placement: [tt]}}",
            "    operations:",
            "      - device-write: {bo: A, offset: 0, data: \"dev\"}",
            "      - mmap: {bo: A, as: a}",
            "      - cpu-read: {map: a, offset: 0, length: 3}",
            "      - validate: {bo: A, placement: {choose: [[vram], [tt]]}}",
            ""},
        footer = {"", "Exit codes: 0 nothing broke; 1 some cell has a counterexample; 2 bad input; 3 a model error",
            "was found (its counterexample file reproduces it). Ctrl-C stops and prints what was found so far."})
public final class ExploreCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "CONFIG",
            description = "Scope files, or built-in scopes (builtin:vmwgfx, builtin:generic, builtin:amdgpu)."
                    + " Default: every built-in scope, every design and mode.")
    private List<String> configs = new ArrayList<>();

    @CommandLine.Mixin
    private DesignClasses designClasses = new DesignClasses();

    @Option(names = "--designs", split = ",", paramLabel = "a,b", description = "Designs to explore (default: the file's).")
    private List<String> designs;

    @Option(names = "--modes", split = ",", paramLabel = "a,b", description = "Modes to explore (default: the file's).")
    private List<String> modes;

    @Option(names = "--kernels", split = ",", paramLabel = "a,b",
            description = "Kernel releases to explore (default: each design's own release).")
    private List<String> kernels;

    @Option(names = "--depth", paramLabel = "N", description = "Longest sequence, 1..16 (default: the scope's).")
    private Integer depth;

    @Option(names = "--random", paramLabel = "N", description = "Sample N random walks per cell instead of the exhaustive search.")
    private Long walks;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of --random (default 1); printed with every derived option.")
    private long seed = 1;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Run the K-th of N disjoint parts and write its data to --out for `ttmsim explore-merge`.")
    private String shard;

    @Option(names = "--out", paramLabel = "DIR", description = "Where counterexample files (and shard data) go (default: explore-out).")
    private Path out = Path.of("explore-out");

    @Option(names = "--json", description = "Print one JSON object per cell (README, Exploring), one per line.")
    private boolean json;

    @Option(names = "--no-timing", description = "Report seconds as 0, so that two runs print the same bytes.")
    private boolean noTiming;

    @Override
    public Integer call() {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String empty = Overrides.checkNoEmptyItems(spec);
        final String loadError = empty != null ? empty : designClasses.load();
        final String bad = loadError != null ? loadError : checkOptions();
        if (bad != null) {
            err.println("error: " + bad);
            return ExitCodes.BAD_INPUT;
        }
        final int[] part = shard == null ? new int[] {1, 1} : parseShard(shard);
        final List<Exploration.Source> sources = new ArrayList<>();
        final List<ExploreConfig> loaded = new ArrayList<>();
        try {
            load(sources, loaded);
        } catch (final ScenarioException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (final IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        final boolean all = configs.isEmpty();
        final Explorer.Options options = new Explorer.Options(designs == null && all ? Designs.ids() : designs,
                modes == null && all ? Overrides.MODES : modes, kernels, depth, walks == null ? 0 : walks, seed, part[0], part[1], out,
                !noTiming);
        return run(sources, loaded, options, stdout, err);
    }

    private int run(final List<Exploration.Source> sources, final List<ExploreConfig> loaded,
            final Explorer.Options options, final PrintWriter stdout, final PrintWriter err) {
        final AtomicBoolean cancelled = new AtomicBoolean();
        final CountDownLatch printed = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                printed.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            final Exploration.Outcome o = Exploration.run(sources, loaded, options, cancelled::get,
                    new ExploreProgress(err, stderrIsTerminal()));
            stdout.print(json ? o.report().json() : o.report().text());
            if (cancelled.get()) {
                stdout.println("interrupted: the table shows what was found before Ctrl-C");
            }
            stdout.flush();
            return o.report().anyModelError() ? ExitCodes.MODEL_ERROR
                    : o.report().anyCounterexample() ? ExitCodes.EXPECTATION_FAILED : ExitCodes.OK;
        } catch (final IOException e) {
            err.println("error: " + OutputFiles.why(e));
            return ExitCodes.BAD_INPUT;
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // shutting down: the hook is running and waits for the report printed above
            }
        }
    }

    /**
     * Whether stderr is a terminal (progress goes there even when stdout is redirected to a file): on Linux
     * where fd 2 leads, elsewhere whether the JVM has a console.
     */
    static boolean stderrIsTerminal() {
        try {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (final IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    private void load(final List<Exploration.Source> sources, final List<ExploreConfig> loaded)
            throws ScenarioException, IOException {
        final List<String> names = configs.isEmpty() ? BuiltinScopes.names().stream()
                .map(n -> "builtin:" + n.replace(".yaml", "")).toList() : configs;
        for (final String name : names) {
            final Path p = Path.of(name);
            final String text;
            final String file;
            if (Files.isRegularFile(p)) {
                file = name;
                text = Files.readString(p, StandardCharsets.UTF_8);
            } else if (BuiltinScopes.text(name) != null) {
                file = "builtin:" + name.replaceFirst("^builtin:", "").replace(".yaml", "");
                text = BuiltinScopes.text(name);
            } else {
                throw new IOException(name + ": no such file, and no built-in scope of that name (builtin:vmwgfx,"
                        + " builtin:generic, builtin:amdgpu)");
            }
            sources.add(new Exploration.Source(file, text));
            loaded.add(new ExploreConfigReader().read(file, text));
        }
    }

    private String checkOptions() {
        String bad = designs == null ? null : Overrides.checkList("--designs", designs, Designs.ids());
        bad = bad != null || modes == null ? bad : Overrides.checkList("--modes", modes, Overrides.MODES);
        if (kernels != null) {
            for (final String k : kernels) {
                bad = bad != null ? bad : Overrides.checkKernel("--kernels", k);
            }
        }
        if (bad == null && depth != null && (depth < 1 || depth > org.ttmsim.explore.Scope.MAX_DEPTH)) {
            bad = "--depth must be from 1 to " + org.ttmsim.explore.Scope.MAX_DEPTH;
        }
        if (bad == null && walks != null && walks < 1) {
            bad = "--random must be a positive number of walks";
        }
        if (bad == null && shard != null && parseShard(shard) == null) {
            bad = "--shard must be K/N with 1 <= K <= N, e.g. 2/4; got " + shard;
        }
        return bad;
    }

    /** {K, N} from "K/N", or null. */
    static int[] parseShard(final String s) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})/(\\d{1,6})").matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        final int k = Integer.parseInt(m.group(1));
        final int n = Integer.parseInt(m.group(2));
        return k >= 1 && k <= n ? new int[] {k, n} : null;
    }
}
