package org.ttmsim.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The search itself: shortest counterexamples first, stopping early when interrupted, merged shards. */
class ExplorerTest {
    private static final Explorer.Progress QUIET = new Explorer.Progress() {
        @Override
        public void cell(final int index, final int cells, final String name) {
        }

        @Override
        public void update(final long states, final int depth, final long done, final long level) {
        }
    };

    private static Explorer.Options options(final int shard, final int shards, final Integer depth) {
        return new Explorer.Options(List.of("pre-2019"), List.of("sev"), null, depth, 0, 0, shard, shards,
                Path.of("unused"), false);
    }

    @Test
    void shouldFindTheShortestCpuGarbageSequenceOfTheVmwgfxScopeUnderPre2019() {
        final List<ExploreConfig> configs = Explorer.concluded(List.of(BuiltinScopes.byName("vmwgfx")),
                options(1, 1, 4));
        final CellData cell = Explorer.search(configs, options(1, 1, 4), () -> false, QUIET).get(0);
        final Scope scope = configs.get(0).scope();
        final StringBuilder seq = new StringBuilder();
        for (final int op : cell.counterexamples.get("cpu-garbage")) {
            seq.append(scope.ops().get(op).step().op()).append(' ');
        }
        assertThat(seq.toString().strip()).isEqualTo("create device-write mmap cpu-read");
        assertThat(cell.complete).isTrue();
        assertThat(cell.depth).isEqualTo(4);
    }

    @Test
    void shouldMarkTheCellNotCompleteAndKeepWhatItFoundWhenInterrupted() {
        final AtomicInteger polls = new AtomicInteger();
        final List<ExploreConfig> configs = Explorer.concluded(List.of(BuiltinScopes.byName("vmwgfx")),
                options(1, 1, 5));
        final CellData cell = Explorer.search(configs, options(1, 1, 5), () -> polls.incrementAndGet() > 40,
                QUIET).get(0);
        assertThat(cell.complete).isFalse();
        assertThat(cell.states()).isPositive();
        assertThat(cell.depth).isLessThan(5);
    }

    @Test
    void shouldGiveTheSameStatesRunsAndCounterexamplesFromThreeShardsAsFromOneSearch() {
        final List<ExploreConfig> configs = Explorer.concluded(List.of(BuiltinScopes.byName("vmwgfx")),
                options(1, 1, 4));
        final CellData one = Explorer.search(configs, options(1, 1, 4), () -> false, QUIET).get(0);
        final CellData merged = Explorer.search(configs, options(1, 3, 4), () -> false, QUIET).get(0);
        for (int k = 2; k <= 3; k++) {
            merged.merge(Explorer.search(configs, options(k, 3, 4), () -> false, QUIET).get(0));
        }
        assertThat(merged.states()).isEqualTo(one.states());
        assertThat(merged.sequences()).isEqualTo(one.sequences());
        assertThat(merged.counterexamples.keySet()).isEqualTo(one.counterexamples.keySet());
        one.counterexamples.forEach((inv, path) -> assertThat(merged.counterexamples.get(inv)).isEqualTo(path));
        assertThat(merged.perOperation(8)).isEqualTo(one.perOperation(8));
    }
}
