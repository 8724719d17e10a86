package org.ttmsim.hw;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * A sparse table from PFN to one object per frame, shaped like a page table's last level: leaves of
 * {@link #LEAF} consecutive PFNs under a hash map of leaf numbers. Neighbouring frames share a leaf,
 * so a walk over a buffer stays in one small array (the last leaf used is kept at hand) instead of
 * probing a hash table scattered over memory once per frame; a leaf costs {@link #LEAF} references
 * only where a frame of its range is used. Entries are never removed (frames are never freed).
 *
 * @param <T> what each frame holds (its bytes, its line stamps)
 */
final class PfnTable<T> {
    private static final int LEAF_SHIFT = 6;
    /** PFNs per leaf: 64 frames, 256 KiB of physical memory. */
    static final int LEAF = 1 << LEAF_SHIFT;
    private final Long2ObjectHashMap<Object[]> leaves = new Long2ObjectHashMap<>();
    private long lastLeafNo = -1;
    private Object[] lastLeaf;
    private int size;

    /** The frame's object, or null. */
    @SuppressWarnings("unchecked")
    T get(final long pfn) {
        final Object[] leaf = leaf(pfn >>> LEAF_SHIFT);
        return leaf == null ? null : (T) leaf[(int) pfn & (LEAF - 1)];
    }

    /** Sets the frame's object (not null). */
    void put(final long pfn, final T value) {
        final long no = pfn >>> LEAF_SHIFT;
        Object[] leaf = leaf(no);
        if (leaf == null) {
            leaf = new Object[LEAF];
            leaves.put(no, leaf);
            lastLeafNo = no;
            lastLeaf = leaf;
        }
        final int i = (int) pfn & (LEAF - 1);
        if (leaf[i] == null) {
            size++;
        }
        leaf[i] = value;
    }

    /** Frames with an object. */
    int size() {
        return size;
    }

    private Object[] leaf(final long no) {
        if (no != lastLeafNo) {
            final Object[] leaf = leaves.get(no);
            if (leaf == null) {
                return null;
            }
            lastLeafNo = no;
            lastLeaf = leaf;
        }
        return lastLeaf;
    }
}
