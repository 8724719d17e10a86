package org.ttmsim.bench;

import java.util.Arrays;

/**
 * Wall-clock sampling for the bench: warm-up, then paired rounds of a workload and its baseline,
 * alternated so that noise from other processes on a shared machine hits both alike. Every figure is
 * the median over rounds.
 */
final class BenchClock {
    /** A workload that performs {@code ops} operations per call. */
    interface Workload {
        void run(int ops);
    }

    /** Medians of a paired measurement: the workload's rate, the baseline's, and the median of ratios. */
    record Paired(double rate, double baselineRate, double ratio) {
    }

    private BenchClock() {
    }

    /** Operations per second of one call of {@code ops} operations. */
    static double rate(final Workload w, final int ops) {
        final long t0 = System.nanoTime();
        w.run(ops);
        final long ns = Math.max(1, System.nanoTime() - t0);
        return ops * 1e9 / ns;
    }

    /** How many operations take about {@code sliceNs}: doubles until one call lasts a quarter of it. */
    static int calibrate(final Workload w, final long sliceNs) {
        int ops = 1;
        while (true) {
            final long t0 = System.nanoTime();
            w.run(ops);
            final long ns = System.nanoTime() - t0;
            if (ns >= sliceNs / 4 || ops >= (1 << 28)) {
                return (int) Math.max(1, Math.min(1 << 28, (long) ops * sliceNs / Math.max(1, ns)));
            }
            ops *= 2;
        }
    }

    /**
     * Warms both up for {@code warmupNs} (alternating), then runs {@code rounds} pairs of slices of about
     * {@code sliceNs} each.
     */
    static Paired paired(final Workload w, final Workload baseline, final BenchConfig cfg) {
        final long warmEnd = System.nanoTime() + cfg.warmupNs();
        int opsW;
        int opsB;
        do { // calibrated at least once, however short the warm-up
            opsW = calibrate(w, cfg.sliceNs());
            opsB = calibrate(baseline, cfg.sliceNs());
        } while (System.nanoTime() < warmEnd);
        final double[] rw = new double[cfg.rounds()];
        final double[] rb = new double[cfg.rounds()];
        final double[] ratio = new double[cfg.rounds()];
        for (int i = 0; i < cfg.rounds(); i++) {
            // Alternate which goes first, so a slow phase of the machine is shared fairly.
            if ((i & 1) == 0) {
                rw[i] = rate(w, opsW);
                rb[i] = rate(baseline, opsB);
            } else {
                rb[i] = rate(baseline, opsB);
                rw[i] = rate(w, opsW);
            }
            ratio[i] = rw[i] / rb[i];
        }
        return new Paired(median(rw), median(rb), median(ratio));
    }

    static double median(final double[] values) {
        final double[] v = values.clone();
        Arrays.sort(v);
        final int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static long median(final long[] values) {
        final long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
