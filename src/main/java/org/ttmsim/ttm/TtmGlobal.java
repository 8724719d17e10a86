package org.ttmsim.ttm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.ttmsim.dma.DmaChunk;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Pte;

/**
 * Models {@code struct ttm_global} (drivers/gpu/drm/ttm/ttm_device.c) with the module-wide state of
 * ttm_pool.c: the device list, the reservation ww class, the global write-combined and uncached pool
 * types (and their DMA32 twins), the shrinker list with the pooled-page count and its limit
 * ({@code page_pool_size}, half of RAM by default), and the {@code page->private} word of every page
 * the pool hands out.
 *
 * <p>One exists per booted {@link Kernel}; build it once and give it to every device and pool.
 */
public final class TtmGlobal {
    // Constant after boot.
    private final Kernel kernel;
    private final WwClass reservationWwClass = new WwClass();
    private final TtmPoolType[] globalWriteCombined = new TtmPoolType[TtmPool.NR_PAGE_ORDERS];
    private final TtmPoolType[] globalUncached = new TtmPoolType[TtmPool.NR_PAGE_ORDERS];
    private final TtmPoolType[] globalDma32WriteCombined = new TtmPoolType[TtmPool.NR_PAGE_ORDERS];
    private final TtmPoolType[] globalDma32Uncached = new TtmPoolType[TtmPool.NR_PAGE_ORDERS];
    // Protected by ttm_global_mutex.
    private final List<TtmDevice> deviceList = new ArrayList<>();
    private long boCount;
    // Pool manager state (shrinker_lock, allocated_pages).
    private long pagePoolSize;
    private long allocatedPages;
    private final ArrayDeque<TtmPoolType> shrinkerList = new ArrayDeque<>();
    // struct page::private of pool pages: the order (no DMA) or a DMA bookkeeping reference.
    private final Long2LongHashMap pagePrivate = new Long2LongHashMap(0);
    private final Long2ObjectHashMap<DmaChunk> dmaRefs = new Long2ObjectHashMap<>();
    private long nextDmaRef = 1;

    /** {@code ttm_global_init()} + {@code ttm_pool_mgr_init(totalram / 2)}. */
    public TtmGlobal(final Kernel kernel) {
        this.kernel = kernel;
        this.pagePoolSize = (kernel.machine().config().ramBytes() >>> Pte.PAGE_SHIFT) / 2;
        for (int i = 0; i < TtmPool.NR_PAGE_ORDERS; i++) {
            globalWriteCombined[i] = globalType(Caching.WRITE_COMBINED, i);
            globalUncached[i] = globalType(Caching.UNCACHED, i);
            globalDma32WriteCombined[i] = globalType(Caching.WRITE_COMBINED, i);
            globalDma32Uncached[i] = globalType(Caching.UNCACHED, i);
        }
    }

    private TtmPoolType globalType(final Caching caching, final int order) {
        final TtmPoolType pt = new TtmPoolType();
        pt.init(null, caching, order);
        shrinkerList.addLast(pt);
        return pt;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** {@code reservation_ww_class}. */
    public WwClass reservationWwClass() {
        return reservationWwClass;
    }

    /** {@code ttm_glob.device_list}, in registration order. */
    public List<TtmDevice> deviceList() {
        return Collections.unmodifiableList(deviceList);
    }

    void addDevice(final TtmDevice bdev) {
        deviceList.add(bdev);
    }

    void removeDevice(final TtmDevice bdev) {
        deviceList.remove(bdev);
    }

    /** {@code ttm_glob.bo_count}. */
    public long boCount() {
        return boCount;
    }

    void boCountAdd(final int delta) {
        boCount += delta;
    }

    /** {@code global_write_combined[order]} / {@code global_uncached[order]} (DMA32 twins if asked). */
    public TtmPoolType globalType(final Caching caching, final int order, final boolean dma32) {
        if (caching == Caching.WRITE_COMBINED) {
            return dma32 ? globalDma32WriteCombined[order] : globalWriteCombined[order];
        }
        if (caching == Caching.UNCACHED) {
            return dma32 ? globalDma32Uncached[order] : globalUncached[order];
        }
        return null;
    }

    /** {@code page_pool_size}: pooled pages beyond this are shrunk at once. */
    public long pagePoolSize() {
        return pagePoolSize;
    }

    /** The {@code page_pool_size} module parameter. */
    public void setPagePoolSize(final long pages) {
        this.pagePoolSize = pages;
    }

    /** {@code allocated_pages}: pages sitting in pool lists. */
    public long allocatedPages() {
        return allocatedPages;
    }

    void addAllocatedPages(final long pages) {
        allocatedPages += pages;
    }

    void shrinkerAdd(final TtmPoolType pt) {
        shrinkerList.addLast(pt);
    }

    void shrinkerRemove(final TtmPoolType pt) {
        shrinkerList.remove(pt);
    }

    /**
     * The pool shrinker's scan ({@code ttm_pool_shrinker_scan()}): frees pooled blocks, one per pool
     * type in turn round the shrinker list, until {@code nrToScan} pages are freed or the pools are
     * empty. DMA-coherent blocks go back through {@code dma_free_coherent()} (which re-encrypts them).
     *
     * @return pages freed
     */
    public long poolShrink(final long nrToScan) {
        long freed = 0;
        while (freed < nrToScan && allocatedPages > 0) {
            freed += shrinkOne();
        }
        return freed;
    }

    /** {@code ttm_pool_shrink()}: one block from the first type on the list, which goes to the tail. */
    long shrinkOne() {
        final TtmPoolType pt = shrinkerList.pollFirst();
        if (pt == null) {
            return 0;
        }
        shrinkerList.addLast(pt);
        final long p = TtmPool.typeTake(this, pt);
        if (p == 0) {
            return 0;
        }
        TtmPool.freePage(this, pt.pool(), pt.caching(), pt.order(), p);
        return 1L << pt.order();
    }

    /** {@code page->private} of a pool page: its block order (no DMA), a DMA reference, or 0. */
    public long pagePrivate(final long pfn) {
        return pagePrivate.get(pfn);
    }

    void setPagePrivate(final long pfn, final long value) {
        if (value == 0) {
            pagePrivate.remove(pfn);
        } else {
            pagePrivate.put(pfn, value);
        }
    }

    /** The coherent chunk a DMA bookkeeping reference (a head page's private) stands for. */
    public DmaChunk dmaChunk(final long ref) {
        return dmaRefs.get(ref);
    }

    long newDmaRef(final DmaChunk chunk) {
        final long ref = nextDmaRef++;
        dmaRefs.put(ref, chunk);
        return ref;
    }

    DmaChunk dropDmaRef(final long ref) {
        return dmaRefs.remove(ref);
    }
}
