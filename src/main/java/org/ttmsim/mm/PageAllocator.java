package org.ttmsim.mm;

import java.util.Arrays;
import org.ttmsim.hw.Pte;

/**
 * Models the buddy page allocator, {@code alloc_pages()} / {@code __free_pages()} (mm/page_alloc.c):
 * blocks of 2^order frames, naturally aligned, orders 0..{@link #MAX_PAGE_ORDER}, freed blocks merged
 * with their buddy.
 *
 * <p>Sparse: memory above a frontier has never been handed out and costs nothing; free lists hold
 * only returned blocks, lowest address first, so allocation is deterministic.
 */
public final class PageAllocator {
    public static final long NO_PAGE = -1;
    /** MAX_PAGE_ORDER on x86-64: 4 MiB blocks. */
    public static final int MAX_PAGE_ORDER = 10;

    private final long endPfn;
    private long frontier;
    private int maxAvailableOrder = MAX_PAGE_ORDER;
    private long freePages;
    private final FreeList[] freeLists = new FreeList[MAX_PAGE_ORDER + 1];

    /**
     * @param firstPfn first frame the allocator owns (below it: the kernel image, firmware)
     * @param endPfn   one past the last frame of RAM
     */
    public PageAllocator(final long firstPfn, final long endPfn) {
        this.frontier = firstPfn;
        this.endPfn = endPfn;
        this.freePages = endPfn - firstPfn;
        for (int i = 0; i <= MAX_PAGE_ORDER; i++) {
            freeLists[i] = new FreeList();
        }
    }

    /** Allocates 2^order contiguous, aligned frames; returns the first PFN or {@link #NO_PAGE}. */
    public long allocPages(final int order) {
        if (order < 0 || order > MAX_PAGE_ORDER || order > maxAvailableOrder) {
            return NO_PAGE;
        }
        for (int o = order; o <= MAX_PAGE_ORDER; o++) {
            final long block = freeLists[o].pollFirst();
            if (block != NO_PAGE) {
                splitDown(block, o, order);
                freePages -= 1L << order;
                return block;
            }
        }
        return fromFrontier(order);
    }

    /** Returns a block; merges it with its buddy while the buddy is free too. */
    public void freePages(final long pfn, final int order) {
        long block = pfn;
        int o = order;
        freePages += 1L << order;
        while (o < MAX_PAGE_ORDER) {
            final long buddy = block ^ (1L << o);
            if (!freeLists[o].remove(buddy)) {
                break;
            }
            block = Math.min(block, buddy);
            o++;
        }
        freeLists[o].add(block);
    }

    /** Test and scenario hook: orders above {@code order} fail, as under fragmentation. */
    public void setMaxAvailableOrder(final int order) {
        this.maxAvailableOrder = order;
    }

    public long freePages() {
        return freePages;
    }

    private void splitDown(final long block, final int from, final int to) {
        for (int o = from; o > to; o--) {
            freeLists[o - 1].add(block + (1L << (o - 1)));
        }
    }

    private long fromFrontier(final int order) {
        final long size = 1L << order;
        final long aligned = (frontier + size - 1) & ~(size - 1);
        if (aligned + size > endPfn) {
            return NO_PAGE;
        }
        // Frames skipped for alignment become free blocks, largest aligned pieces first.
        long p = frontier;
        while (p < aligned) {
            int o = Long.numberOfTrailingZeros(p);
            while (o > MAX_PAGE_ORDER || p + (1L << o) > aligned) {
                o--;
            }
            freeLists[o].add(p);
            p += 1L << o;
        }
        frontier = aligned + size;
        freePages -= size;
        return aligned;
    }

    /**
     * One order's free blocks (the kernel's {@code free_area[order].free_list}), lowest first: a sorted
     * array of PFNs, highest at index 0, so that taking the lowest is taking the last. No boxing: a pool
     * scenario frees and allocates tens of thousands of pages. Slots past the end are kept zero, so two
     * lists with the same blocks hold the same array contents (the explorer's fingerprint reads them).
     */
    private static final class FreeList {
        private long[] pfns = new long[16];
        private int n;

        /** Takes the lowest block, or returns {@link #NO_PAGE}. */
        long pollFirst() {
            if (n == 0) {
                return NO_PAGE;
            }
            final long first = pfns[--n];
            pfns[n] = 0;
            return first;
        }

        void add(final long pfn) {
            final int at = position(pfn);
            if (at >= 0) {
                return; // already free (a set, as before)
            }
            final int i = -at - 1;
            if (n == pfns.length) {
                pfns = Arrays.copyOf(pfns, n * 2);
            }
            System.arraycopy(pfns, i, pfns, i + 1, n - i);
            pfns[i] = pfn;
            n++;
        }

        /** Removes {@code pfn} if it is free; returns whether it was. */
        boolean remove(final long pfn) {
            final int i = position(pfn);
            if (i < 0) {
                return false;
            }
            System.arraycopy(pfns, i + 1, pfns, i, n - i - 1);
            pfns[--n] = 0;
            return true;
        }

        /** Index of {@code pfn} in the descending array, or -(insertion point) - 1. */
        private int position(final long pfn) {
            int lo = 0;
            int hi = n - 1;
            while (lo <= hi) {
                final int mid = (lo + hi) >>> 1;
                final long v = pfns[mid];
                if (v > pfn) {
                    lo = mid + 1;
                } else if (v < pfn) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -lo - 1;
        }
    }

    /** Bytes to pages, rounded up. */
    public static long pages(final long bytes) {
        return (bytes + Pte.PAGE_SIZE - 1) >>> Pte.PAGE_SHIFT;
    }
}
