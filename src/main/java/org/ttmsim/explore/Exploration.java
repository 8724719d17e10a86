package org.ttmsim.explore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ttmsim.scenario.ScenarioException;

/**
 * The explore and explore-merge commands' entry points: search (this shard's part), then either write the
 * shard's data (a shard of several) or shrink and write the counterexamples and report (the whole search,
 * or the merge of all shards, which gives the same report).
 */
public final class Exploration {
    private Exploration() {
    }

    /** A configuration as given: its name ({@code builtin:vmwgfx} or the path) and its text. */
    public record Source(String file, String text) {
    }

    /** What a run produced: the report, ready to print. */
    public record Outcome(ExploreReport report) {
    }

    /** Searches the configurations read from {@code sources} with the command line's options. */
    public static Outcome run(final List<Source> sources, final List<ExploreConfig> configs, final Explorer.Options o,
            final BooleanSupplier cancelled, final Explorer.Progress progress) throws IOException {
        final List<ExploreConfig> concluded = Explorer.concluded(configs, o);
        final List<CellData> cells = Explorer.search(concluded, o, cancelled, progress);
        progress.cell(0, 0, null);
        if (o.shards() > 1) {
            final List<ShardFile.Source> s = new ArrayList<>();
            sources.forEach(x -> s.add(new ShardFile.Source(x.file(), x.text())));
            ShardFile.write(o.out(), s, o, cells);
            return new Outcome(ExploreReport.of(concluded, cells, o, false));
        }
        return new Outcome(ExploreReport.of(concluded, cells, o, true));
    }

    /**
     * Joins the shard files found in {@code dirs} (every shard 1..N of one search exactly once) and reports
     * what the one run reports, writing the counterexamples into {@code out}.
     *
     * @throws IOException on unreadable files, or shards that do not belong together (the message says why)
     */
    public static Outcome merge(final List<Path> dirs, final Path out, final boolean timing) throws IOException {
        final List<Path> files = ShardFile.find(dirs);
        if (files.isEmpty()) {
            throw new IOException("no explore-shard-K-of-N.json in " + dirs);
        }
        ShardFile.Shard first = null;
        final List<CellData> merged = new ArrayList<>();
        final boolean[] seen = new boolean[ShardFile.read(files.get(0), out).options().shards() + 1];
        for (final Path f : files) {
            final ShardFile.Shard s = ShardFile.read(f, out);
            final int n = s.options().shards();
            if (n != seen.length - 1 || first != null && !sameSearch(first, s)) {
                throw new IOException(f + ": belongs to another search (other configurations, options or shard count)");
            }
            if (seen[s.options().shard()]) {
                throw new IOException(f + ": shard " + s.options().shard() + " of " + n + " given twice");
            }
            seen[s.options().shard()] = true;
            if (first == null) {
                first = s;
                s.cells().forEach(merged::add);
            } else {
                for (int i = 0; i < merged.size(); i++) {
                    merged.get(i).merge(s.cells().get(i));
                }
            }
        }
        for (int k = 1; k < seen.length; k++) {
            if (!seen[k]) {
                throw new IOException("shard " + k + " of " + (seen.length - 1) + " is missing");
            }
        }
        final Explorer.Options fo = first.options();
        final Explorer.Options o = new Explorer.Options(fo.designs(), fo.modes(), fo.kernels(), fo.depth(), fo.walks(),
                fo.seed(), 1, 1, out, fo.timing() && timing);
        if (!o.timing()) {
            merged.forEach(c -> c.seconds = 0);
        }
        final List<ExploreConfig> configs;
        try {
            configs = Explorer.concluded(ShardFile.configs(first.sources()), o);
        } catch (final ScenarioException e) {
            throw new IOException("a shard's configuration no longer reads: " + e.getMessage(), e);
        }
        return new Outcome(ExploreReport.of(configs, merged, o, true));
    }

    private static boolean sameSearch(final ShardFile.Shard a, final ShardFile.Shard b) {
        final Explorer.Options x = a.options();
        final Explorer.Options y = b.options();
        return a.sources().equals(b.sources()) && java.util.Objects.equals(x.designs(), y.designs())
                && java.util.Objects.equals(x.modes(), y.modes()) && java.util.Objects.equals(x.kernels(), y.kernels())
                && java.util.Objects.equals(x.depth(), y.depth()) && x.walks() == y.walks() && x.seed() == y.seed()
                && a.cells().size() == b.cells().size();
    }
}
