package org.ttmsim.explore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ttmsim.design.Designs;

/**
 * {@code ttmsim explore}'s one entry point: searches every cell (configuration × design × mode × kernel),
 * exhaustively or by random walks, for this shard's part.
 */
public final class Explorer {
    private Explorer() {
    }

    /**
     * How to explore.
     *
     * @param designs  designs overriding each configuration's, or null
     * @param modes    modes overriding each configuration's, or null
     * @param kernels  kernel releases overriding each configuration's, or null
     * @param depth    depth overriding each scope's, or null
     * @param walks    random walks per cell, or 0 for the exhaustive search
     * @param seed     the random search's seed
     * @param shard    this shard, 1..shards
     * @param shards   how many shards the search is split into
     * @param out      where counterexample files and shard data go
     * @param timing   whether {@code seconds} reports wall-clock time (false: 0, for byte-identical output)
     */
    public record Options(List<String> designs, List<String> modes, List<String> kernels, Integer depth, long walks,
            long seed, int shard, int shards, Path out, boolean timing) {
        public boolean random() {
            return walks > 0;
        }
    }

    /** One cell to search. */
    record Cell(int config, String design, String mode, String kernel) {
    }

    /** What is shown while the search runs (never part of the output). */
    public interface Progress {
        /** A new cell starts ({@code index} of {@code cells}, from 1). */
        void cell(int index, int cells, String name);

        /** Called between states. */
        void update(long states, int depth, long doneInLevel, long level);
    }

    /** The configurations with the command line's overrides applied. */
    public static List<ExploreConfig> concluded(final List<ExploreConfig> configs, final Options o) {
        final List<ExploreConfig> out = new ArrayList<>();
        for (final ExploreConfig c : configs) {
            out.add(c.with(o.designs(), o.modes(), o.kernels(), o.depth()));
        }
        return out;
    }

    /** The cells of the configurations, in order: configuration, design, mode, kernel. */
    static List<Cell> cells(final List<ExploreConfig> configs) {
        final List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            final ExploreConfig c = configs.get(i);
            for (final String d : c.designs()) {
                for (final String m : c.modes()) {
                    for (final String k : c.kernels()) {
                        cells.add(new Cell(i, d, m, k));
                    }
                }
            }
        }
        return cells;
    }

    /** The kernel a cell runs: the one asked for, else the design's own release. */
    static String kernelOf(final String design, final String kernel) {
        return kernel != null ? kernel : Designs.byId(design).ownRelease().id();
    }

    /**
     * Searches every cell of the (concluded) configurations; stops early, marking the cells not complete,
     * when {@code cancelled} turns true.
     */
    public static List<CellData> search(final List<ExploreConfig> configs, final Options o,
            final BooleanSupplier cancelled, final Progress progress) {
        final List<CellData> out = new ArrayList<>();
        final List<Cell> cells = cells(configs);
        for (int i = 0; i < cells.size(); i++) {
            final Cell cell = cells.get(i);
            final ExploreConfig config = configs.get(cell.config());
            if (cancelled.getAsBoolean()) {
                final CellData skipped = new CellData(cell.design(), cell.mode(), cell.kernel());
                skipped.complete = false;
                out.add(skipped);
                continue;
            }
            progress.cell(i + 1, cells.size(), config.name() + " " + cell.design() + "/" + cell.mode() + "/"
                    + kernelOf(cell.design(), cell.kernel()));
            final Search search = new Search(config, cell.design(), cell.mode(), cell.kernel(), o.shard(), o.shards(),
                    cancelled, progress::update);
            final CellData data = o.random() ? search.random(o.walks(), o.seed()) : search.exhaustive();
            if (!o.timing()) {
                data.seconds = 0;
            }
            out.add(data);
        }
        return out;
    }
}
