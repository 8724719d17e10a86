package org.ttmsim.hw;

import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongLongConsumer;

/**
 * A sparse map from a page number to a PTE ({@code long}, 0 = none), shaped like the last level of an
 * x86 page table: leaves of {@link #LEAF} consecutive page numbers (one "PTE page", 4 KiB of entries
 * covering 2 MiB) under a hash map of leaf numbers. Neighbouring pages share a leaf, so walking a
 * mapping stays in one array (the last leaf used is kept at hand) and a present entry costs eight
 * bytes; a leaf is dropped when its last entry is. Keys must be non-negative.
 *
 * <pre>
 *   key = leaf number (key >>> 9) | slot (key & 511)
 *   leaf: | pte 0 | pte 1 | ... | pte 511 | present count |
 * </pre>
 *
 * <p>{@link #forEach} visits entries in ascending key order, whatever the history of the table.
 */
public final class PteTable {
    private static final int LEAF_SHIFT = 9;
    /** Entries per leaf. */
    public static final int LEAF = 1 << LEAF_SHIFT;
    private static final int COUNT = LEAF;
    private final Long2ObjectHashMap<long[]> leaves = new Long2ObjectHashMap<>();
    private long lastLeafNo = -1;
    private long[] lastLeaf;
    private int size;

    /** The entry for {@code key}, or 0. */
    public long get(final long key) {
        final long[] leaf = leaf(key >>> LEAF_SHIFT);
        return leaf == null ? 0 : leaf[(int) key & (LEAF - 1)];
    }

    /** Sets the entry for {@code key} to {@code value} (not 0: use {@link #remove}). */
    public void put(final long key, final long value) {
        if (value == 0) {
            throw new IllegalArgumentException("0 means no entry: remove key 0x" + Long.toHexString(key) + " instead");
        }
        final long no = key >>> LEAF_SHIFT;
        long[] leaf = leaf(no);
        if (leaf == null) {
            leaf = new long[LEAF + 1];
            leaves.put(no, leaf);
            lastLeafNo = no;
            lastLeaf = leaf;
        }
        final int i = (int) key & (LEAF - 1);
        if (leaf[i] == 0) {
            leaf[COUNT]++;
            size++;
        }
        leaf[i] = value;
    }

    /** Clears the entry for {@code key}, if any. */
    public void remove(final long key) {
        final long no = key >>> LEAF_SHIFT;
        final long[] leaf = leaf(no);
        final int i = (int) key & (LEAF - 1);
        if (leaf == null || leaf[i] == 0) {
            return;
        }
        leaf[i] = 0;
        size--;
        if (--leaf[COUNT] == 0) {
            leaves.remove(no);
            lastLeafNo = -1;
            lastLeaf = null;
        }
    }

    /**
     * Clears every entry with a key in [{@code from}, {@code to}); visits only the leaves that exist, so
     * a wide range over a sparse table costs what the table holds.
     */
    public void removeRange(final long from, final long to) {
        if (from >= to || size == 0) {
            return;
        }
        final long[] nos = leafNumbers(from >>> LEAF_SHIFT, (to - 1) >>> LEAF_SHIFT);
        for (int j = 0; j < nos.length; j++) {
            final long base = nos[j] << LEAF_SHIFT;
            final long lo = Math.max(from, base);
            final long hi = Math.min(to, base + LEAF);
            for (long k = lo; k < hi; k++) {
                remove(k);
            }
        }
    }

    /** Present entries. */
    public int size() {
        return size;
    }

    /** Visits every entry in ascending key order. */
    public void forEach(final LongLongConsumer consumer) {
        forEachOutside(0, 0, consumer);
    }

    /** Visits every entry with a key in [{@code from}, {@code to}), in ascending key order. */
    public void forEachIn(final long from, final long to, final LongLongConsumer consumer) {
        if (from >= to || size == 0) {
            return;
        }
        final long[] nos = leafNumbers(from >>> LEAF_SHIFT, (to - 1) >>> LEAF_SHIFT);
        for (int j = 0; j < nos.length; j++) {
            final long base = nos[j] << LEAF_SHIFT;
            final long[] leaf = leaves.get(nos[j]);
            for (int i = 0; i < LEAF; i++) {
                final long key = base | i;
                if (leaf[i] != 0 && key >= from && key < to) {
                    consumer.accept(key, leaf[i]);
                }
            }
        }
    }

    /**
     * Visits every entry whose key is not in [{@code skipFrom}, {@code skipTo}), in ascending key order;
     * leaves wholly inside the range are passed over without a look at their entries.
     */
    public void forEachOutside(final long skipFrom, final long skipTo, final LongLongConsumer consumer) {
        final long[] nos = leafNumbers(0, Long.MAX_VALUE);
        for (final long no : nos) {
            final long base = no << LEAF_SHIFT;
            if (base >= skipFrom && base + LEAF <= skipTo) {
                continue;
            }
            final long[] leaf = leaves.get(no);
            for (int i = 0; i < LEAF; i++) {
                final long key = base | i;
                if (leaf[i] != 0 && (key < skipFrom || key >= skipTo)) {
                    consumer.accept(key, leaf[i]);
                }
            }
        }
    }

    /** The numbers of the leaves that exist in [{@code firstLeaf}, {@code lastLeaf}], ascending. */
    private long[] leafNumbers(final long firstLeaf, final long lastLeaf) {
        final long[] nos = new long[leaves.size()];
        int n = 0;
        for (final Long2ObjectHashMap<long[]>.KeyIterator it = leaves.keySet().iterator(); it.hasNext(); ) {
            final long no = it.nextLong();
            if (no >= firstLeaf && no <= lastLeaf) {
                nos[n++] = no;
            }
        }
        final long[] sorted = Arrays.copyOf(nos, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * The leaf, or null; the answer is remembered even when null: a page without a translation is often
     * asked for again and again (a TLB lookup per CPU before each fill, a PTE read before each insert),
     * and each ask would otherwise probe the hash map for a key it does not hold. A leaf is added only by
     * {@link #put}, which sets the memo, and dropped only by {@link #remove}, which clears it.
     */
    private long[] leaf(final long no) {
        if (no != lastLeafNo) {
            lastLeaf = leaves.get(no);
            lastLeafNo = no;
        }
        return lastLeaf;
    }
}
