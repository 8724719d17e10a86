package org.ttmsim.hw;

import java.util.Arrays;

/**
 * A set of {@code long}s (PFNs) kept as sorted, disjoint, non-adjacent ranges {@code [start, end)}:
 * membership by binary search, memory by the number of ranges rather than of members. Made for
 * page states that change in blocks: the SWIOTLB pool decrypted at boot is one range whatever the
 * RAM size, a pool's converted chunk one more.
 *
 * <pre>
 *   starts: | s0 | s1 | ... |      s0 < e0 < s1 < e1 < ...   (a gap of at least one between ranges)
 *   ends:   | e0 | e1 | ... |
 * </pre>
 */
public final class LongRangeSet {
    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int ranges;

    /** Whether {@code v} is in the set. */
    public boolean contains(final long v) {
        final int i = rangeAtOrBefore(v);
        return i >= 0 && v < ends[i];
    }

    /** Adds {@code v}; returns whether it was absent. */
    public boolean add(final long v) {
        if (contains(v)) {
            return false;
        }
        addRange(v, v + 1);
        return true;
    }

    /** Adds every value of {@code [start, end)}. */
    public void addRange(final long start, final long end) {
        if (start >= end) {
            return;
        }
        // Ranges that overlap or touch [start, end) merge with it: indexes first..last.
        int first = rangeAtOrBefore(start);
        if (first < 0 || ends[first] < start) {
            first++;
        }
        int last = rangeAtOrBefore(end);
        final long s = first <= last ? Math.min(start, starts[first]) : start;
        final long e = first <= last ? Math.max(end, ends[last]) : end;
        replace(first, last, s, e);
    }

    /** Removes {@code v}; returns whether it was present. */
    public boolean remove(final long v) {
        final int i = rangeAtOrBefore(v);
        if (i < 0 || v >= ends[i]) {
            return false;
        }
        final long s = starts[i];
        final long e = ends[i];
        if (s == v && e == v + 1) {
            shift(i + 1, -1);
        } else if (s == v) {
            starts[i] = v + 1;
        } else if (e == v + 1) {
            ends[i] = v;
        } else {
            ends[i] = v;
            shift(i + 1, 1);
            starts[i + 1] = v + 1;
            ends[i + 1] = e;
        }
        return true;
    }

    /** How many ranges the set is made of. */
    public int ranges() {
        return ranges;
    }

    /** Index of the last range whose start is at most {@code v}, or -1. */
    private int rangeAtOrBefore(final long v) {
        int lo = 0;
        int hi = ranges - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            if (starts[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /** Replaces ranges {@code first..last} (possibly none: last = first - 1) by one range [s, e). */
    private void replace(final int first, final int last, final long s, final long e) {
        shift(last + 1, 1 - (last - first + 1));
        starts[first] = s;
        ends[first] = e;
    }

    /** Moves ranges {@code from..} by {@code by} slots (growing the arrays as needed). */
    private void shift(final int from, final int by) {
        if (ranges + by > starts.length) {
            final int cap = Math.max(starts.length * 2, ranges + by);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
        }
        System.arraycopy(starts, from, starts, from + by, ranges - from);
        System.arraycopy(ends, from, ends, from + by, ranges - from);
        ranges += by;
    }
}
