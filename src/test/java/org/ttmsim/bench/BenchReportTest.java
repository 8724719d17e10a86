package org.ttmsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests {@link BenchReport}'s rendering from fixed figures (no measurement runs here). */
class BenchReportTest {
    private static BenchReport report(final double engineRatio, final double heapPerGib) {
        return new BenchReport(BenchConfig.full(), new EngineBench.Result(700_000, 1_000_000, engineRatio),
                new MappedWriteBench.Result(1e9, 2e9, 0.5), new FaultBench.Result(1_200_000, 3_000_000, 16384, 262144),
                new MatrixBench.Result(2000, 100, 25, 42.5, "pool-caching-sev pre-2019 sev", 1400, 18), new HeapBench.Result(4700, heapPerGib, new long[] {1, 2, 3}),
                new ExploreBench.Result(5000, 300, 900));
    }

    @Test
    void shouldPutEachBaselineBesideItsFigureWhenRenderingTheTable() {
        final String table = report(0.7, 10).table();

        assertThat(table).contains("engine vs raw AES/ECB", "AES/ECB enc+dec 1,000,000 pg/s",
                "mapped writes vs copy + AES", "arraycopy + AES/ECB", "first-touch faults per second",
                "handler alone 3,000,000 /s", "16384 faults / 262144 pages", "matrix cells per second",
                "25 of the 100 cells, 1 thread", "runnable: 1,400 /s", "18 cells that run", "slowest built-in cell (warm)", "42.5 ms",
                "pool-caching-sev pre-2019 sev", "heap per touched 4 KiB frame", "the frame's 4096 B",
                "heap per untouched GiB of RAM", "explored states per second (1 core)", "300 states, 900 runs");
        assertThat(table).doesNotContain("--quick");
    }

    @Test
    void shouldJudgeEachTargetWhenFiguresAreOnEitherSide() {
        assertThat(report(0.7, 1023).targetsMet()).containsEntry("engine_vs_aes", true)
                .containsEntry("heap_bytes_per_untouched_gib", true);
        assertThat(report(0.69, 1024).targetsMet()).containsEntry("engine_vs_aes", false)
                .containsEntry("heap_bytes_per_untouched_gib", false);
    }

    @Test
    void shouldStartTheJsonWithTheHeadlineKeysWhenRenderingJson() {
        assertThat(report(0.7, 10).json()).startsWith("{\"engine_vs_aes\":0.7,\"mapped_writes_vs_copy\":0.5,"
                + "\"faults_per_second\":1200000.0,\"matrix_cells_per_second\":2000.0,\"slowest_cell_ms\":42.5,"
                + "\"heap_bytes_per_touched_frame\":4700.0,\"heap_bytes_per_untouched_gib\":10.0,");
    }
}
