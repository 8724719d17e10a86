package org.ttmsim.ttm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ttmsim.hw.Errno;

/**
 * Models the GPU buddy allocator, {@code gpu_buddy} (drivers/gpu/buddy.c; {@code drm_buddy} before it
 * moved out of DRM): a region split into power-of-two roots, allocated in naturally aligned blocks of
 * 2^order chunks, freed blocks merged with their buddy.
 *
 * <p>Its choices are the kernel's: a request of n chunks takes blocks of order
 * {@code min(order, fls(remaining) - 1)}, lowering the order down to the minimum block size when none
 * is free; a block is taken from the smallest order that has one (the highest such block), or from the
 * highest address overall with {@link #TOPDOWN_ALLOCATION}; splitting keeps the right half. A
 * {@link #CONTIGUOUS_ALLOCATION} rounds the size up to a power of two, takes one block and trims the
 * excess; if no such block is free it looks for any free run of the exact size ("try harder"). A
 * range-limited request carves free space inside the range.
 */
public final class GpuBuddy {
    /** {@code GPU_BUDDY_RANGE_ALLOCATION}. */
    public static final int RANGE_ALLOCATION = 1 << 0;
    /** {@code GPU_BUDDY_TOPDOWN_ALLOCATION}: the same bit as {@link TtmPlace#FLAG_TOPDOWN}. */
    public static final int TOPDOWN_ALLOCATION = 1 << 1;
    /** {@code GPU_BUDDY_CONTIGUOUS_ALLOCATION}. */
    public static final int CONTIGUOUS_ALLOCATION = 1 << 2;

    /** An allocated block: {@code 2^order} chunks starting at chunk {@code offset}. */
    public record Block(long offset, int order) {
        public long chunks() {
            return 1L << order;
        }
    }

    // Constant after init.
    private final long chunkSize;
    private final long chunks;
    private final List<Block> roots = new ArrayList<>();
    private final int maxOrder;
    // Free blocks: offsets (in chunks) per order.
    private final List<TreeSet<Long>> free = new ArrayList<>();
    private long availChunks;

    /**
     * {@code gpu_buddy_init(mm, size, chunk_size)}.
     *
     * @param size      bytes managed (rounded down to the chunk size)
     * @param chunkSize the smallest block, a power of two of at least 4 KiB
     */
    public GpuBuddy(final long size, final long chunkSize) {
        if (chunkSize < 4096 || Long.bitCount(chunkSize) != 1 || size < chunkSize) {
            throw new IllegalArgumentException("bad buddy geometry: size " + size + ", chunk " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.chunks = size / chunkSize;
        long off = 0;
        int top = -1;
        for (int o = 63 - Long.numberOfLeadingZeros(chunks); o >= 0; o--) {
            if ((chunks & (1L << o)) != 0) {
                roots.add(new Block(off, o));
                top = Math.max(top, o);
                off += 1L << o;
            }
        }
        this.maxOrder = top;
        for (int o = 0; o <= maxOrder; o++) {
            free.add(new TreeSet<>());
        }
        for (final Block r : roots) {
            free.get(r.order()).add(r.offset());
        }
        this.availChunks = chunks;
    }

    public long chunkSize() {
        return chunkSize;
    }

    /** Bytes managed. */
    public long size() {
        return chunks * chunkSize;
    }

    /** Bytes free. */
    public long avail() {
        return availChunks * chunkSize;
    }

    /** A block's first byte. */
    public long blockStart(final Block b) {
        return b.offset() * chunkSize;
    }

    /** A block's size in bytes. */
    public long blockSize(final Block b) {
        return b.chunks() * chunkSize;
    }

    /**
     * {@code gpu_buddy_alloc_blocks()}.
     *
     * @param start        first byte of the allowed range
     * @param end          one past the last byte of the allowed range
     * @param size         bytes wanted, a multiple of the chunk size
     * @param minBlockSize smallest block to use, a power of two of at least the chunk size
     * @param blocks       receives the blocks, in allocation order
     * @param flags        RANGE/TOPDOWN/CONTIGUOUS bits
     * @return 0, -EINVAL for a malformed request, -ENOSPC when the space cannot be found
     */
    public int allocBlocks(final long start, final long end, final long size, final long minBlockSize,
            final List<Block> blocks, final int flags) {
        if (size < chunkSize || size % chunkSize != 0 || minBlockSize < chunkSize
                || Long.bitCount(minBlockSize) != 1 || start >= end || end > size() || size > end - start) {
            return Errno.EINVAL;
        }
        final boolean range = (flags & RANGE_ALLOCATION) != 0 || end - start != size();
        final boolean topdown = (flags & TOPDOWN_ALLOCATION) != 0;
        final long wanted = size / chunkSize;
        if ((flags & CONTIGUOUS_ALLOCATION) != 0) {
            return allocContiguous(start / chunkSize, end / chunkSize, wanted, range, topdown, blocks);
        }
        final long minChunks = minBlockSize / chunkSize;
        final long rounded = (wanted + minChunks - 1) / minChunks * minChunks;
        if (range) {
            return carveRange(start / chunkSize, end / chunkSize, rounded, minChunks, topdown, blocks);
        }
        return allocOrders(rounded, Long.numberOfTrailingZeros(minChunks), topdown, blocks);
    }

    /** The main loop: blocks of decreasing order until the request is met. */
    private int allocOrders(final long pages, final int minOrder, final boolean topdown, final List<Block> out) {
        final List<Block> got = new ArrayList<>();
        long left = pages;
        int order = 63 - Long.numberOfLeadingZeros(left);
        while (left > 0) {
            order = Math.min(order, 63 - Long.numberOfLeadingZeros(left));
            Block b = order <= maxOrder ? takeBlock(order, topdown) : null;
            while (b == null) {
                if (order-- == minOrder) {
                    freeList(got);
                    return Errno.ENOSPC;
                }
                b = order <= maxOrder ? takeBlock(order, topdown) : null;
            }
            got.add(b);
            left -= b.chunks();
        }
        out.addAll(got);
        return Errno.OK;
    }

    /** Rounds up to a power of two, takes one block and trims it; else any free run of the size. */
    private int allocContiguous(final long first, final long last, final long pages, final boolean range,
            final boolean topdown, final List<Block> out) {
        final int order = 64 - Long.numberOfLeadingZeros(pages - 1);
        if (!range && order <= maxOrder) {
            final Block b = takeBlock(order, topdown);
            if (b != null) {
                out.addAll(trim(b, pages));
                return Errno.OK;
            }
        }
        final long at = findRun(first, last, pages, topdown);
        if (at < 0) {
            return Errno.ENOSPC;
        }
        out.addAll(carve(at, at + pages));
        return Errno.OK;
    }

    /** A range-limited, possibly discontiguous request: carve free runs inside [first, last). */
    private int carveRange(final long first, final long last, final long pages, final long minChunks,
            final boolean topdown, final List<Block> out) {
        final List<long[]> runs = freeRuns(first, last);
        final List<Block> got = new ArrayList<>();
        long left = pages;
        for (int k = 0; k < runs.size() && left > 0; k++) {
            final long[] r = runs.get(topdown ? runs.size() - 1 - k : k);
            final long lo = (r[0] + minChunks - 1) / minChunks * minChunks;
            final long hi = r[1] / minChunks * minChunks;
            if (hi <= lo) {
                continue;
            }
            final long n = Math.min(left, hi - lo);
            got.addAll(topdown ? carve(hi - n, hi) : carve(lo, lo + n));
            left -= n;
        }
        if (left > 0) {
            freeList(got);
            return Errno.ENOSPC;
        }
        out.addAll(got);
        return Errno.OK;
    }

    /** Takes a free block of {@code order}, splitting a larger one (keeping right halves). */
    private Block takeBlock(final int order, final boolean topdown) {
        int from = -1;
        long off = -1;
        for (int o = order; o <= maxOrder; o++) {
            final TreeSet<Long> set = free.get(o);
            if (!set.isEmpty() && set.last() > off) {
                from = o;
                off = set.last();
                if (!topdown) {
                    break;
                }
            }
        }
        if (from < 0) {
            return null;
        }
        free.get(from).remove(off);
        for (int o = from; o > order; o--) {
            free.get(o - 1).add(off);
            off += 1L << (o - 1);
        }
        availChunks -= 1L << order;
        return new Block(off, order);
    }

    /** {@code gpu_buddy_block_trim()}: keeps the first {@code pages} chunks of {@code b}. */
    private List<Block> trim(final Block b, final long pages) {
        final long end = b.offset() + b.chunks();
        final long keepEnd = b.offset() + pages;
        for (final Block f : decompose(keepEnd, end)) {
            release(f);
        }
        return decompose(b.offset(), keepEnd);
    }

    /** Marks exactly [a, b) allocated; every chunk in it must be free. */
    private List<Block> carve(final long a, final long b) {
        for (int o = 0; o <= maxOrder; o++) {
            final TreeSet<Long> set = free.get(o);
            final long size = 1L << o;
            for (final Long off : new ArrayList<>(set.subSet(Math.max(0, a - size + 1), b))) {
                set.remove(off);
                availChunks -= size;
                for (final Block f : decompose(off, Math.max(off, a))) {
                    release(f);
                }
                for (final Block f : decompose(Math.min(off + size, b), off + size)) {
                    release(f);
                }
            }
        }
        return decompose(a, b);
    }

    /** [a, b) as naturally aligned power-of-two blocks, lowest first. */
    private List<Block> decompose(final long a, final long b) {
        final List<Block> out = new ArrayList<>();
        long p = a;
        while (p < b) {
            int o = p == 0 ? maxOrder : Math.min(maxOrder, Long.numberOfTrailingZeros(p));
            while ((1L << o) > b - p) {
                o--;
            }
            out.add(new Block(p, o));
            p += 1L << o;
        }
        return out;
    }

    /** Free space inside [first, last) as [lo, hi) runs, lowest first. */
    private List<long[]> freeRuns(final long first, final long last) {
        final TreeMap<Long, Long> ends = new TreeMap<>();
        for (int o = 0; o <= maxOrder; o++) {
            for (final long off : free.get(o)) {
                ends.put(off, off + (1L << o));
            }
        }
        final List<long[]> runs = new ArrayList<>();
        for (final Map.Entry<Long, Long> en : ends.entrySet()) {
            final long s = en.getKey();
            final long e = en.getValue();
            if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == s) {
                runs.get(runs.size() - 1)[1] = e;
            } else {
                runs.add(new long[] {s, e});
            }
        }
        final List<long[]> clipped = new ArrayList<>();
        for (final long[] r : runs) {
            final long lo = Math.max(r[0], first);
            final long hi = Math.min(r[1], last);
            if (lo < hi) {
                clipped.add(new long[] {lo, hi});
            }
        }
        return clipped;
    }

    /** The start of a free run of {@code pages} chunks in [first, last), or -1. */
    private long findRun(final long first, final long last, final long pages, final boolean topdown) {
        final List<long[]> runs = freeRuns(first, last);
        for (int k = 0; k < runs.size(); k++) {
            final long[] r = runs.get(topdown ? runs.size() - 1 - k : k);
            if (r[1] - r[0] >= pages) {
                return topdown ? r[1] - pages : r[0];
            }
        }
        return -1;
    }

    /** {@code gpu_buddy_free_list()}. */
    public void freeList(final List<Block> blocks) {
        for (final Block b : blocks) {
            release(b);
        }
        blocks.clear();
    }

    private void release(final Block b) {
        availChunks += b.chunks();
        freeBlock(b);
    }

    /** Returns a block to the free lists, merging it with its buddy while that is free. */
    private void freeBlock(final Block b) {
        long off = b.offset();
        int o = b.order();
        while (o < rootOrder(off)) {
            final long buddy = off ^ (1L << o);
            if (!free.get(o).remove(buddy)) {
                break;
            }
            off = Math.min(off, buddy);
            o++;
        }
        free.get(o).add(off);
    }

    private int rootOrder(final long off) {
        for (final Block r : roots) {
            if (off >= r.offset() && off < r.offset() + r.chunks()) {
                return r.order();
            }
        }
        throw new IllegalStateException("chunk " + off + " outside the buddy");
    }
}
