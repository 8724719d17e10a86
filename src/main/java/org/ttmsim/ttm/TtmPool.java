package org.ttmsim.ttm;

import org.ttmsim.dma.DmaChunk;
import org.ttmsim.dma.DmaDevice;
import org.ttmsim.dma.DmaDirect;
import org.ttmsim.dma.DmaDirection;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.Zeros;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.PageAllocator;
import org.ttmsim.release.Change;

/**
 * Models {@code struct ttm_pool} and drivers/gpu/drm/ttm/ttm_pool.c: the page allocator behind every
 * ttm_tt.
 *
 * <p>Why it pools (the kernel's own DOC): changing a page's caching costs a cross-CPU TLB invalidate,
 * and coherent DMA allocations are slow (under memory encryption each one converts the pages), so
 * freed pages are kept per caching type and order and handed out again. Blocks are taken at order
 * {@code min(MAX_PAGE_ORDER, fls(remaining) - 1)}, falling back to lower orders; a block is reused only
 * for the same caching and order (higher orders are never split, caching types never crossed).
 *
 * <p>With {@code TTM_ALLOCATION_POOL_USE_DMA_ALLOC} every block is a {@code dma_alloc_coherent()}
 * chunk and the pool types are per device. Otherwise blocks come from the page allocator, are
 * {@code dma_map_page()}d for tts that hold DMA addresses, and write-combined/uncached blocks go to the
 * global types of {@link TtmGlobal}; cached ones are freed at once.
 *
 * <p>Before v5.11 ({@link Change#TTM_POOL}) a DMA-allocating device used the 2019 pool of
 * drivers/gpu/drm/ttm/ttm_page_alloc_dma.c instead: {@code ttm_dma_populate()} takes 2 MiB coherent
 * chunks from the huge pool while 512 pages remain and one {@code dma_alloc_coherent(PAGE_SIZE)} per
 * page after that (each its own conversion under SEV), and {@code ttm_dma_unpopulate()} frees the pages
 * of a cached tt at once ("shrink pool if necessary (only on !is_cached pools)"), so every populate
 * converts them again. Simplifications: the pool refills exactly what a populate needs (the kernel
 * fills in batches of {@code options.small}), and pages are cleared when they are given back, not when
 * taken. Without DMA allocation the model keeps ttm_pool's behaviour for those releases too
 * (ttm_page_alloc.c allocated page by page and merged contiguous pages into one mapping).
 */
public final class TtmPool {
    /** What clear_page() stores (only read, so shared). */
    public static final int NUMA_NO_NODE = -1;
    /** {@code MAX_PAGE_ORDER} on x86-64. */
    public static final int MAX_PAGE_ORDER = PageAllocator.MAX_PAGE_ORDER;
    public static final int NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;
    public static final int TTM_NUM_CACHING_TYPES = 3;
    /** {@code TTM_ALLOCATION_POOL_USE_DMA_ALLOC}. */
    public static final int USE_DMA_ALLOC = 1 << 8;
    /** {@code TTM_ALLOCATION_POOL_USE_DMA32}. */
    public static final int USE_DMA32 = 1 << 9;

    /** Models {@code struct ttm_pool_alloc_state}. */
    private static final class AllocState {
        final TtmTt tt;
        int pos;
        int cachingDivide;
        long remaining;

        AllocState(final TtmTt tt) {
            this.tt = tt;
            this.remaining = tt.numPages();
        }
    }

    // Constant after boot.
    private final TtmGlobal glob;
    private final Kernel kernel;
    // Set by ttm_pool_init().
    private DmaDevice dev;
    private int nid = NUMA_NO_NODE;
    private int allocFlags;
    private final TtmPoolType[][] caching = new TtmPoolType[TTM_NUM_CACHING_TYPES][NR_PAGE_ORDERS];

    public TtmPool(final TtmGlobal glob) {
        this.glob = glob;
        this.kernel = glob.kernel();
        for (int i = 0; i < TTM_NUM_CACHING_TYPES; i++) {
            for (int j = 0; j < NR_PAGE_ORDERS; j++) {
                caching[i][j] = new TtmPoolType();
            }
        }
    }

    /**
     * {@code ttm_pool_init()}. The per-device types are initialised only for DMA allocation or a
     * specific NUMA node; otherwise they stay untouched and the global types serve.
     */
    public void init(final DmaDevice dev, final int nid, final int allocFlags) {
        this.dev = dev;
        this.nid = nid;
        this.allocFlags = allocFlags;
        if (usesDmaAlloc() || nid != NUMA_NO_NODE) {
            for (int i = 0; i < TTM_NUM_CACHING_TYPES; i++) {
                for (int j = 0; j < NR_PAGE_ORDERS; j++) {
                    caching[i][j].init(this, cachingOf(i), j);
                    glob.shrinkerAdd(caching[i][j]);
                }
            }
        }
    }

    /** {@code ttm_pool_fini()}: empties every per-device type. */
    public void fini() {
        if (usesDmaAlloc() || nid != NUMA_NO_NODE) {
            for (int i = 0; i < TTM_NUM_CACHING_TYPES; i++) {
                for (int j = 0; j < NR_PAGE_ORDERS; j++) {
                    typeFini(caching[i][j]);
                }
            }
        }
    }

    private void typeFini(final TtmPoolType pt) {
        glob.shrinkerRemove(pt);
        for (long p = typeTake(glob, pt); p != 0; p = typeTake(glob, pt)) {
            freePage(glob, pt.pool(), pt.caching(), pt.order(), p);
        }
        pt.markFini();
    }

    /** {@code enum ttm_caching} order: uncached 0, write-combined 1, cached 2. */
    public static int cachingIndex(final Caching c) {
        return c == Caching.UNCACHED ? 0 : c == Caching.WRITE_COMBINED ? 1 : 2;
    }

    public static Caching cachingOf(final int index) {
        return index == 0 ? Caching.UNCACHED : index == 1 ? Caching.WRITE_COMBINED : Caching.CACHED;
    }

    /** {@code &pool->caching[c].orders[order]}. */
    public TtmPoolType type(final Caching c, final int order) {
        return caching[cachingIndex(c)][order];
    }

    /** {@code &pool->caching[index].orders[order]} by the kernel's enum value. */
    public TtmPoolType typeAt(final int cachingIndex, final int order) {
        return caching[cachingIndex][order];
    }

    public DmaDevice dev() {
        return dev;
    }

    public int nid() {
        return nid;
    }

    public int allocFlags() {
        return allocFlags;
    }

    /** {@code ttm_pool_uses_dma_alloc()}. */
    public boolean usesDmaAlloc() {
        return (allocFlags & USE_DMA_ALLOC) != 0;
    }

    /** {@code ttm_pool_uses_dma32()}. */
    public boolean usesDma32() {
        return (allocFlags & USE_DMA32) != 0;
    }

    public TtmGlobal global() {
        return glob;
    }

    /**
     * {@code ttm_pool_alloc()}: fills {@code tt->pages} (and {@code dma_address} if the tt has one).
     *
     * @return 0; -ENOMEM when not even an order-0 page can be had; -EFAULT when a streaming DMA mapping
     *         fails (e.g. a block larger than SWIOTLB can bounce in a guest)
     */
    public int alloc(final TtmTt tt, final OperationCtx ctx) {
        if (tt.numPages() == 0 || tt.isPopulated()) {
            throw new IllegalStateException("ttm_pool_alloc of an empty or populated tt");
        }
        if (tt.pages() == null) {
            throw new IllegalStateException("ttm_pool_alloc of a tt without a page array (an EXTERNAL sg tt):"
                    + " its driver must populate it itself or give it pages with ttm_tt_init");
        }
        final AllocState alloc = new AllocState(tt);
        final boolean zero = (tt.pageFlags() & TtmTt.FLAG_ZERO_ALLOC) != 0;
        final boolean dmaPool2019 = usesDmaPool2019();
        Caching pageCaching = tt.caching();
        boolean allowPools = true;
        boolean hugeFailed = false;
        for (int order = dmaPool2019 ? order2019(alloc, hugeFailed) : findOrder(MAX_PAGE_ORDER, alloc);
                alloc.remaining > 0; order = dmaPool2019 ? order2019(alloc, hugeFailed) : findOrder(order, alloc)) {
            final TtmPoolType pt = selectType(pageCaching, order);
            long p = pt != null && allowPools ? typeTake(glob, pt) : 0;
            if (p != 0) {
                hit(pt, p);
            } else {
                pageCaching = Caching.CACHED;
                allowPools = false;
                p = allocPage(order, zero);
            }
            if (p == 0) {
                if (order > 0) {
                    hugeFailed = true; // the 2019 pool falls back to single pages
                    --order;
                    pageCaching = tt.caching();
                    allowPools = true;
                    continue;
                }
                freeAllocated(alloc);
                return Errno.ENOMEM;
            }
            final int r = pageAllocated(order, p, pageCaching, alloc);
            if (r != Errno.OK) {
                freePage(glob, this, pageCaching, order, p);
                freeAllocated(alloc);
                return r;
            }
        }
        applyCaching(alloc);
        return Errno.OK;
    }

    /** Whether this pool is the 2019 DMA pool of ttm_page_alloc_dma.c (a DMA-allocating device before v5.11). */
    private boolean usesDmaPool2019() {
        return usesDmaAlloc() && !kernel.release().has(Change.TTM_POOL);
    }

    /** {@code ttm_dma_populate()}'s order: the huge pool (2 MiB) while 512 pages remain, else one page. */
    private static int order2019(final AllocState alloc, final boolean hugeFailed) {
        return !hugeFailed && alloc.remaining >= HUGE_PAGES ? HUGE_ORDER : 0;
    }

    /** {@code HPAGE_PMD_ORDER}: the 2019 pool's huge pages. */
    private static final int HUGE_ORDER = 9;
    private static final int HUGE_PAGES = 1 << HUGE_ORDER;

    /** {@code ttm_pool_alloc_find_order()}: {@code min(highest, __fls(remaining))}. */
    private static int findOrder(final int highest, final AllocState alloc) {
        if (alloc.remaining == 0) {
            return 0;
        }
        return Math.min(highest, 63 - Long.numberOfLeadingZeros(alloc.remaining));
    }

    /** {@code ttm_pool_select_type()}: per-device with DMA or a node; else x86's global WC/UC types. */
    private TtmPoolType selectType(final Caching c, final int order) {
        if (usesDmaAlloc()) {
            return caching[cachingIndex(c)][order];
        }
        if (c == Caching.CACHED) {
            return null;
        }
        if (nid != NUMA_NO_NODE) {
            return caching[cachingIndex(c)][order];
        }
        return glob.globalType(c, order, usesDma32());
    }

    /** {@code ttm_pool_alloc_page()}: a coherent DMA chunk, or pages from the buddy allocator. */
    private long allocPage(final int order, final boolean zero) {
        final Machine machine = kernel.machine();
        final long p;
        if (!usesDmaAlloc()) {
            p = kernel.pageAllocator().allocPages(order);
            if (p == PageAllocator.NO_PAGE) {
                return 0;
            }
            glob.setPagePrivate(p, order);
            if (zero) {
                clearPages(p, 1 << order);
            }
        } else {
            final DmaChunk chunk = kernel.dma().allocCoherent(dev, order);
            if (chunk == null) {
                return 0;
            }
            p = chunk.pfn();
            glob.setPagePrivate(p, glob.newDmaRef(chunk));
        }
        machine.ledger().charge(Counter.POOL_MISSES, 1, (1L << order) * machine.costs().poolAllocPerPageNs());
        final boolean dmaAlloc = usesDmaAlloc();
        final boolean dmaPool2019 = usesDmaPool2019();
        machine.bus().emit(EventKind.POOL, p, null, Event.sentence("pool miss: order %d block from %s%s%s", order,
                dmaAlloc ? "dma_alloc_coherent" : "alloc_pages", zero && !dmaAlloc ? " (zeroed)" : "",
                dmaPool2019 ? " (2019 DMA pool, ttm_page_alloc_dma.c)" : ""));
        return p;
    }

    private void hit(final TtmPoolType pt, final long p) {
        kernel.machine().ledger().charge(Counter.POOL_HITS, 1, 0);
        kernel.machine().bus().emit(EventKind.POOL, p, null, pt.describeNow("pool hit: "));
    }

    /** {@code ttm_pool_page_allocated()}: maps the block if needed and commits its pages to the tt. */
    private int pageAllocated(final int order, final long p, final Caching pageCaching, final AllocState alloc) {
        final boolean cachingConsistent = pageCaching == alloc.tt.caching();
        if (cachingConsistent) {
            applyCaching(alloc);
        }
        long firstDma = 0;
        final long[] dma = alloc.tt.dmaAddress();
        if (dma != null) {
            firstDma = map(order, p);
            if (firstDma == DmaDirect.DMA_MAPPING_ERROR) {
                return Errno.EFAULT;
            }
        }
        final int nr = 1 << order;
        final long[] pages = alloc.tt.pages();
        for (int i = 0; i < nr; i++) {
            if (pages != null) {
                pages[alloc.pos] = p + i;
            }
            if (dma != null) {
                dma[alloc.pos] = firstDma + ((long) i << Pte.PAGE_SHIFT);
            }
            alloc.pos++;
        }
        alloc.remaining -= nr;
        if (cachingConsistent) {
            alloc.cachingDivide = alloc.pos;
        }
        return Errno.OK;
    }

    /** {@code ttm_pool_map()}: the chunk's DMA address, or {@code dma_map_page()} of the block. */
    private long map(final int order, final long p) {
        if (usesDmaAlloc()) {
            return glob.dmaChunk(glob.pagePrivate(p)).dmaAddr();
        }
        return kernel.dma().mapPage(dev, p << Pte.PAGE_SHIFT, (1 << order) << Pte.PAGE_SHIFT,
                DmaDirection.BIDIRECTIONAL);
    }

    /**
     * {@code ttm_pool_apply_caching()}: pages that came from the system as write-back get the tt's
     * caching ({@code set_pages_array_wc/uc}, a cross-CPU TLB invalidate on x86).
     */
    private void applyCaching(final AllocState alloc) {
        final int num = alloc.pos - alloc.cachingDivide;
        if (num > 0 && alloc.tt.caching() != Caching.CACHED) {
            setPagesCaching(alloc.tt.pages() != null ? alloc.tt.pages()[alloc.cachingDivide] : -1, num,
                    alloc.tt.caching());
        }
        alloc.cachingDivide = alloc.pos;
    }

    /** Frees what an aborted allocation had: tt-cached before the divide, write-back after it. */
    private void freeAllocated(final AllocState alloc) {
        freeRange(alloc.tt, alloc.tt.caching(), 0, alloc.cachingDivide);
        freeRange(alloc.tt, Caching.CACHED, alloc.cachingDivide, alloc.pos);
    }

    /**
     * {@code ttm_pool_free()}: every block back to its pool type (or to the system), then shrinks while
     * more than {@code page_pool_size} pages are pooled.
     */
    public void free(final TtmTt tt) {
        freeRange(tt, tt.caching(), 0, tt.numPages());
        while (glob.allocatedPages() > glob.pagePoolSize()) {
            glob.shrinkOne();
        }
    }

    /**
     * {@code ttm_pool_free_range()}. The {@code no-pool} injection frees every block outright. The tt's
     * page slots are cleared, so an unpopulated tt never names a page it no longer owns.
     */
    private void freeRange(final TtmTt tt, final Caching c, final int start, final int end) {
        final long[] pages = tt.pages();
        Boolean noPool = null; // one occurrence of the injection per free that would pool
        for (int i = start; i < end; ) {
            final long p = pages[i];
            final int order = pageOrder(p);
            final int nr = 1 << order;
            if (tt.dmaAddress() != null && !usesDmaAlloc()) {
                kernel.dma().unmapPage(dev, tt.dmaAddress()[i], DmaDirection.BIDIRECTIONAL);
            }
            TtmPoolType pt = selectType(c, order);
            if (c == Caching.CACHED && usesDmaPool2019()) {
                pt = null; // ttm_dma_unpopulate(): cached pages are freed at once
            }
            if (pt != null && noPool == null) {
                noPool = kernel.machine().fires(Injection.NO_POOL);
                if (noPool) {
                    kernel.machine().fireInjection(Injection.NO_POOL, "ttm_pool_free");
                }
            }
            if (pt != null && noPool) {
                pt = null;
            }
            if (pt != null) {
                typeGive(pt, p);
            } else {
                freePage(glob, this, c, order, p);
            }
            for (int k = i; k < i + nr; k++) {
                pages[k] = 0;
            }
            i += nr;
        }
    }

    /** {@code ttm_pool_page_order()}: read back from the head page's private word. */
    private int pageOrder(final long p) {
        if (usesDmaAlloc()) {
            return glob.dmaChunk(glob.pagePrivate(p)).order();
        }
        return (int) glob.pagePrivate(p);
    }

    /** {@code ttm_pool_type_give()}: clears the pages and puts the block on the list. */
    private void typeGive(final TtmPoolType pt, final long p) {
        clearPages(p, 1 << pt.order());
        pt.push(p);
        glob.addAllocatedPages(1L << pt.order());
        kernel.machine().bus().emit(EventKind.POOL, p, null, pt.describeNow("pool give: "));
    }

    /** {@code ttm_pool_type_take()}: the most recently given block, or 0. */
    static long typeTake(final TtmGlobal glob, final TtmPoolType pt) {
        final long p = pt.poll();
        if (p != 0) {
            glob.addAllocatedPages(-(1L << pt.order()));
        }
        return p;
    }

    /**
     * {@code ttm_pool_free_page()}: back to write-back caching if needed, then to the page allocator,
     * or through {@code dma_free_coherent()} for a DMA pool's chunk.
     */
    static void freePage(final TtmGlobal glob, final TtmPool pool, final Caching c, final int order, final long p) {
        final Kernel kernel = glob.kernel();
        if (c != Caching.CACHED) {
            setPagesCaching(kernel, p, 1 << order, Caching.CACHED);
        }
        if (pool == null || !pool.usesDmaAlloc()) {
            glob.setPagePrivate(p, 0);
            kernel.pageAllocator().freePages(p, order);
            kernel.machine().bus().emit(EventKind.POOL, p, null, Event.sentence("free block order %d to the system",
                    order));
            return;
        }
        final DmaChunk chunk = glob.dropDmaRef(glob.pagePrivate(p));
        glob.setPagePrivate(p, 0);
        kernel.dma().freeCoherent(pool.dev, chunk);
    }

    private void setPagesCaching(final long firstPfn, final int pages, final Caching c) {
        setPagesCaching(kernel, firstPfn, pages, c);
    }

    /**
     * {@code set_pages_array_wc/uc/wb()}: changes the linear map's memory type of the pages, paid with a
     * TLB shootdown on every CPU. Like every {@code change_page_attr_set_clr()} it calls
     * {@code vm_unmap_aliases()} first, purging the lazily freed kernel maps ({@link
     * org.ttmsim.mm.Vmalloc#vmUnmapAliases}). PAT records the pages' memory type ({@link
     * org.ttmsim.mm.PatMemtype}), which later decides the caching of every PFN inserted for them; the model's
     * direct map itself keeps no memory type.
     */
    private static void setPagesCaching(final Kernel kernel, final long firstPfn, final int pages, final Caching c) {
        kernel.vmalloc().vmUnmapAliases();
        if (firstPfn >= 0) {
            kernel.memory().pat().set(firstPfn, pages, c); // the page's _PGMT_* memtype
        }
        final Machine machine = kernel.machine();
        final int cpus = machine.tlb().cpus();
        machine.ledger().charge(Counter.TLB_SHOOTDOWNS, cpus, cpus * machine.costs().tlbShootdownPerCpuNs());
        machine.bus().emit(EventKind.TLB_FLUSH, firstPfn, null, () -> String.format("set_pages_array_%s: %d pages,"
                + " cpa_flush on %d cpus", c == Caching.CACHED ? "wb" : c.id(), pages, cpus));
    }

    /** {@code clear_page()} of each page, through the linear map. */
    private void clearPages(final long p, final int n) {
        final int page = (int) Pte.PAGE_SIZE;
        for (int i = 0; i < n; i++) {
            kernel.cpuAccess().access(kernel.initMm(), DirectMap.va((p + i) << Pte.PAGE_SHIFT),
                    Zeros.atLeast(page), 0, page, true, null);
        }
        kernel.machine().ledger().chargePs((long) n * Pte.PAGE_SIZE * kernel.machine().costs().copyPsPerByte());
    }
}
