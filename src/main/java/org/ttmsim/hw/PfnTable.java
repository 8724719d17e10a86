package org.ttmsim.hw;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * A sparse table from PFN to one object per frame, shaped like a page table's last two levels: leaves
 * of {@link #LEAF} consecutive PFNs, {@link #DIR} leaves to a directory (16 MiB of physical memory),
 * directories under a hash map of directory numbers. Neighbouring frames share a leaf, so a walk over
 * a buffer stays in one small array (the last leaf used is kept at hand), and frames a few MiB apart
 * (a zeroed page and the page being copied, two buffers of one pool) share a directory (the last one
 * used is kept at hand too), so moving between leaves is an array index, not a hash probe. A leaf costs
 * {@link #LEAF} references and a directory {@link #DIR} only where a frame of their range is used.
 * Entries are never removed (frames are never freed).
 *
 * <pre>
 *   pfn = directory number (pfn >>> 12) | leaf in directory (bits 6..11) | slot in leaf (bits 0..5)
 * </pre>
 *
 * @param <T> what each frame holds (its bytes, its line stamps)
 */
final class PfnTable<T> {
    private static final int LEAF_SHIFT = 6;
    /** PFNs per leaf: 64 frames, 256 KiB of physical memory. */
    static final int LEAF = 1 << LEAF_SHIFT;
    private static final int DIR_SHIFT = 6;
    /** Leaves per directory: 4096 frames, 16 MiB of physical memory. */
    static final int DIR = 1 << DIR_SHIFT;
    private final Long2ObjectHashMap<Object[][]> dirs = new Long2ObjectHashMap<>();
    private long lastLeafNo = -1;
    private Object[] lastLeaf;
    private long lastDirNo = -1;
    private Object[][] lastDir;
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
            final long dirNo = no >>> DIR_SHIFT;
            Object[][] dir = dir(dirNo);
            if (dir == null) {
                dir = new Object[DIR][];
                dirs.put(dirNo, dir);
                lastDirNo = dirNo;
                lastDir = dir;
            }
            leaf = new Object[LEAF];
            dir[(int) no & (DIR - 1)] = leaf;
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
            final Object[][] dir = dir(no >>> DIR_SHIFT);
            final Object[] leaf = dir == null ? null : dir[(int) no & (DIR - 1)];
            if (leaf == null) {
                return null;
            }
            lastLeafNo = no;
            lastLeaf = leaf;
        }
        return lastLeaf;
    }

    /**
     * The directory, or null; the answer is remembered even when null: frames of a region never written
     * are asked for line by line (a read of untouched memory, a frame about to be zeroed), and each of
     * those asks would otherwise probe the hash map for a key it does not hold. Directories are only
     * added by {@link #put}, which sets the memo, so a remembered null stays true until then.
     */
    private Object[][] dir(final long dirNo) {
        if (dirNo != lastDirNo) {
            lastDir = dirs.get(dirNo);
            lastDirNo = dirNo;
        }
        return lastDir;
    }
}
