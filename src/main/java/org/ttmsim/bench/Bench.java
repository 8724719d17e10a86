package org.ttmsim.bench;

/**
 * The entry point of {@code ttmsim bench}: runs the five measurements in order (engine, mapped writes,
 * faults, matrix, heap) and returns their report. Single-threaded except where a figure says otherwise.
 */
public final class Bench {
    private Bench() {
    }

    /** Runs every measurement with {@code config}; {@code progress} receives a line as each starts. */
    public static BenchReport run(final BenchConfig config, final java.util.function.Consumer<String> progress) {
        progress.accept("engine vs AES/ECB");
        final EngineBench.Result engine = EngineBench.run(config);
        progress.accept("mapped writes vs arraycopy + AES/ECB");
        final MappedWriteBench.Result writes = MappedWriteBench.run(config);
        progress.accept("first-touch faults");
        final FaultBench.Result faults = FaultBench.run(config);
        progress.accept("matrix cells");
        final MatrixBench.Result matrix = MatrixBench.run(config);
        progress.accept("heap");
        final HeapBench.Result heap = HeapBench.run(config);
        return new BenchReport(config, engine, writes, faults, matrix, heap);
    }
}
