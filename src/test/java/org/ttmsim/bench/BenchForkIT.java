package org.ttmsim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Tests {@link BenchFork}: a figure measured in a child JVM comes back whole, and a child's failure is reported. */
class BenchForkIT {
    @Test
    void shouldReturnTheChildsResultWhenTheFigureRuns() {
        final HeapBench.Result r = BenchFork.run(BenchFork.Figure.HEAP, BenchConfig.quickRun(), HeapBench.Result.class);

        assertThat(r.bytesPerTouchedFrame()).isPositive();
        assertThat(r.worldBytes()).hasSize(3).doesNotContain(0L);
    }

    @Test
    void shouldNameTheFigureWhenItsJvmFails() {
        final BenchConfig q = BenchConfig.quickRun();
        // 17 pages: the first touch faults twice where 17 / 16 promises once; the child's sanity check stops.
        final BenchConfig broken = new BenchConfig(q.quick(), q.warmupNs(), q.sliceNs(), q.rounds(), 17 * 4096L,
                q.faultRounds(), q.matrixRounds(), q.matrixStride(), q.heapFrames(), q.heapRounds());

        assertThatThrownBy(() -> BenchFork.run(BenchFork.Figure.FAULTS, broken, FaultBench.Result.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAULTS figure failed in its JVM");
    }
}
