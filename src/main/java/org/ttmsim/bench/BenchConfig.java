package org.ttmsim.bench;

/**
 * How long and how big the bench runs.
 *
 * @param quick          a few-second smoke run (smaller buffers, fewer rounds): figures are not comparable
 *                       with a full run's
 * @param warmupNs       warm-up per paired measurement, ns
 * @param sliceNs        one timed slice, ns
 * @param rounds         timed pairs per measurement (the median is reported)
 * @param faultBufferBytes the buffer first-touched by the fault bench
 * @param faultRounds    fresh buffers first-touched (median reported)
 * @param matrixRounds   timed matrix runs after one warm-up run
 * @param matrixStride   the timed run takes every {@code matrixStride}-th cell of the matrix
 * @param heapFrames     frames touched by the heap bench
 * @param heapRounds     repetitions of each heap measurement (median reported)
 */
public record BenchConfig(boolean quick, long warmupNs, long sliceNs, int rounds, long faultBufferBytes,
        int faultRounds, int matrixRounds, int matrixStride, int heapFrames, int heapRounds) {
    private static final long MS = 1_000_000L;

    /** The full run: about a minute on two shared cores. */
    public static BenchConfig full() {
        return new BenchConfig(false, 1500 * MS, 150 * MS, 9, 1L << 30, 5, 3, 4, 4096, 3);
    }

    /** The smoke run used by the unit test. */
    public static BenchConfig quickRun() {
        return new BenchConfig(true, 100 * MS, 20 * MS, 3, 64L << 20, 1, 1, 50, 256, 1);
    }
}
