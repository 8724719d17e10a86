package org.ttmsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ttmsim.explore.Exploration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ttmsim explore-merge}: joins the outputs of {@code explore --shard K/N} into what one run gives. */
@Command(name = "explore-merge", mixinStandardHelpOptions = true,
        header = "Join the shard outputs of explore --shard K/N into one report.",
        description = {
            "Joins the shard outputs of `ttmsim explore --shard K/N --out DIR` (every K from 1 to N, once) and",
            "prints exactly what one unsharded `ttmsim explore` prints, writing the counterexample files to --out.",
            "",
            "Example:",
            "  for k in 1 2 3 4; do ttmsim explore builtin:vmwgfx --shard $k/4 --out shards/$k; done",
            "  ttmsim explore-merge shards/1 shards/2 shards/3 shards/4 --out explore-out",
            ""})
public final class ExploreMergeCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Shard output directories (or shard files).")
    private List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where counterexample files go (default: explore-out).")
    private Path out = Path.of("explore-out");

    @Option(names = "--json", description = "Print one JSON object per cell (README, Exploring), one per line.")
    private boolean json;

    @Option(names = "--no-timing", description = "Report seconds as 0 (the shards' own setting applies too).")
    private boolean noTiming;

    @Override
    public Integer call() {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Exploration.Outcome o;
        try {
            o = Exploration.merge(dirs, out, !noTiming);
        } catch (final IOException e) {
            err.println("error: " + OutputFiles.why(e));
            return ExitCodes.BAD_INPUT;
        }
        stdout.print(json ? o.report().json() : o.report().text());
        stdout.flush();
        return o.report().anyModelError() ? ExitCodes.MODEL_ERROR
                : o.report().anyCounterexample() ? ExitCodes.EXPECTATION_FAILED : ExitCodes.OK;
    }
}
