package org.ttmsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import org.ttmsim.explore.BuiltinScopes;
import org.ttmsim.explore.CellData;
import org.ttmsim.explore.ExploreConfig;
import org.ttmsim.explore.Explorer;

/**
 * Figure (7): explored states per second on one core. One exhaustive search of each built-in scope
 * (vmwgfx in SEV, generic in SME, amdgpu in SEV, each under upstream-2024 and pre-2019, at each scope's
 * depth; {@code --quick}: depth 3) is timed after an untimed warm-up search, single-threaded, counterexamples
 * found but not shrunk; the figure is distinct states over seconds of the thread's CPU time ({@link
 * ThreadMXBean}: on a shared machine the wall clock would charge the search for other processes' time
 * slices), median of the rounds. Each state costs a fork of its parent, one operation and a fingerprint.
 */
final class ExploreBench {
    /** Timed searches (the median is reported). */
    private static final int ROUNDS = 3;
    /** Median states per second, distinct states and state x operation runs per search. */
    record Result(double statesPerSecond, long states, long sequences) {
    }

    private ExploreBench() {
    }

    static Result run(final BenchConfig cfg) {
        final Explorer.Options o = new Explorer.Options(List.of("upstream-2024", "pre-2019"), null, null,
                cfg.quick() ? 3 : null, 0, 0, 1, 1, Path.of("explore-out"), true);
        final List<ExploreConfig> configs = Explorer.concluded(BuiltinScopes.all(), o);
        search(configs, o);
        final double[] rates = new double[ROUNDS];
        long states = 0;
        long sequences = 0;
        for (int i = 0; i < rates.length; i++) {
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final long t0 = threads.getCurrentThreadCpuTime();
            final List<CellData> cells = search(configs, o);
            final long ns = Math.max(1, threads.getCurrentThreadCpuTime() - t0);
            states = cells.stream().mapToLong(CellData::states).sum();
            sequences = cells.stream().mapToLong(CellData::sequences).sum();
            rates[i] = states * 1e9 / ns;
        }
        return new Result(BenchClock.median(rates), states, sequences);
    }

    private static List<CellData> search(final List<ExploreConfig> configs, final Explorer.Options o) {
        return Explorer.search(configs, o, () -> false, new Explorer.Progress() {
            @Override
            public void cell(final int index, final int cells, final String name) {
            }

            @Override
            public void update(final long states, final int depth, final long done, final long level) {
            }
        });
    }
}
