package org.ttmsim.hw;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts events and sums their simulated time: the stats group of the whole machine (gem5 style).
 * {@code simulated_ns} is computed here and nowhere else.
 */
public final class CostLedger {
    private final long[] counts = new long[Counter.values().length];
    private long simulatedNs;
    private long simulatedPs;

    /** Adds {@code n} to a counter and {@code ns} of simulated time. */
    public void charge(final Counter counter, final long n, final long ns) {
        counts[counter.ordinal()] += n;
        simulatedNs += ns;
    }

    /** Adds simulated time that no counter names (e.g. engine latency). */
    public void chargeNs(final long ns) {
        simulatedNs += ns;
    }

    /** Adds time in picoseconds (per-byte copies); folded into nanoseconds exactly. */
    public void chargePs(final long ps) {
        simulatedPs += ps;
        simulatedNs += simulatedPs / 1000;
        simulatedPs %= 1000;
    }

    public long get(final Counter counter) {
        return counts[counter.ordinal()];
    }

    public long simulatedNs() {
        return simulatedNs;
    }

    /** The result's {@code costs}: every counter in declaration order, then {@code simulated_ns}. */
    public Map<String, Long> snapshot() {
        final Map<String, Long> m = new LinkedHashMap<>();
        for (final Counter c : Counter.values()) {
            m.put(c.key(), counts[c.ordinal()]);
        }
        m.put("simulated_ns", simulatedNs);
        return m;
    }

    /** Counters as an enum map (for tests). */
    public Map<Counter, Long> counters() {
        final Map<Counter, Long> m = new EnumMap<>(Counter.class);
        for (final Counter c : Counter.values()) {
            m.put(c, counts[c.ordinal()]);
        }
        return m;
    }
}
