package org.ttmsim.bench;

/**
 * The entry point of {@code ttmsim bench}: runs the six measurements in order (engine, mapped writes,
 * faults, matrix, explored states, heap), each in a JVM of its own ({@link BenchFork}; the matrix in
 * {@link MatrixBench#FORKS} of them, the median taken), and returns their report.
 * Single-threaded except where a figure says otherwise.
 */
public final class Bench {
    private Bench() {
    }

    /** Runs every measurement with {@code config}; {@code progress} receives a line as each starts. */
    public static BenchReport run(final BenchConfig config, final java.util.function.Consumer<String> progress) {
        progress.accept("engine vs AES/ECB");
        final EngineBench.Result engine = BenchFork.run(BenchFork.Figure.ENGINE, config, EngineBench.Result.class);
        progress.accept("mapped writes vs arraycopy + AES/ECB");
        final MappedWriteBench.Result writes = BenchFork.run(BenchFork.Figure.WRITES, config,
                MappedWriteBench.Result.class);
        progress.accept("first-touch faults");
        final FaultBench.Result faults = BenchFork.run(BenchFork.Figure.FAULTS, config, FaultBench.Result.class);
        // The matrix figure differs by up to a factor of two from one JVM to the next on a shared machine (the
        // same build, the same cells: JIT outcomes and neighbours), so it is the median of several JVMs, as JMH
        // forks.
        final int forks = config.quick() ? 1 : MatrixBench.FORKS;
        final java.util.List<MatrixBench.Result> matrixForks = new java.util.ArrayList<>();
        for (int f = 1; f <= forks; f++) {
            progress.accept(forks == 1 ? "matrix cells" : "matrix cells (JVM " + f + " of " + forks + ")");
            matrixForks.add(BenchFork.run(BenchFork.Figure.MATRIX, config, MatrixBench.Result.class));
        }
        final MatrixBench.Result matrix = MatrixBench.Result.median(matrixForks);
        progress.accept("explored states");
        final ExploreBench.Result explore = BenchFork.run(BenchFork.Figure.EXPLORE, config, ExploreBench.Result.class);
        progress.accept("heap");
        final HeapBench.Result heap = BenchFork.run(BenchFork.Figure.HEAP, config, HeapBench.Result.class);
        return new BenchReport(config, engine, writes, faults, matrix, heap, explore);
    }
}
