package org.ttmsim.ttm;

import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.release.Change;

/**
 * Models the kernel mappings of a buffer, {@code ttm_bo_kmap()} / {@code ttm_bo_kunmap()} with
 * {@code ttm_bo_kmap_ttm()} and {@code ttm_bo_ioremap()} (drivers/gpu/drm/ttm/ttm_bo_util.c).
 *
 * <p>The release's rule ({@link #kernelProt}): iomem through a decrypted ioremap; one cached page of a
 * tt through the linear map (the {@code kmap()} fast path, whose attribute is whatever the direct map
 * holds for the page), except, from v6.9, a DECRYPTED tt ({@link Change#TT_FLAG_DECRYPTED}); anything
 * else through a {@code vmap()} with {@code ttm_io_prot(PAGE_KERNEL)}. The design may patch the choice
 * ({@link TtmDecisions#kmapProt}).
 */
public final class TtmBoKmap {
    /**
     * Models {@code struct ttm_bo_kmap_obj}: a mapping of {@code numPages} pages from
     * {@code startPage}; {@code virtual} is the vmap address, or 0 for linear-map access per page.
     */
    public record KmapObj(TtmBufferObject bo, long startPage, int numPages, long virtual, long[] pfns) {
        public boolean linear() {
            return virtual == 0;
        }

        /** The kernel virtual address of byte {@code offset} of the BO (which must lie in the map). */
        public long va(final long offset) {
            final long rel = offset - (startPage << Pte.PAGE_SHIFT);
            if (!linear()) {
                return virtual + rel;
            }
            final long pfn = pfns[(int) (rel >>> Pte.PAGE_SHIFT)];
            return DirectMap.va((pfn << Pte.PAGE_SHIFT) + (rel & (Pte.PAGE_SIZE - 1)));
        }
    }

    private TtmBoKmap() {
    }

    /**
     * {@code ttm_bo_kmap()}; the BO must be reserved.
     *
     * @param out receives the map on success
     * @return 0, -ENOMEM when the tt cannot be populated, -EINVAL for an empty range or a buffer
     *         without resource
     */
    public static int kmap(final TtmBufferObject bo, final long startPage, final int numPages, final KmapObj[] out) {
        if (bo.resource() == null) {
            // A purged buffer (v6.4 on): the kernel's first line reads bo->resource->size (an oops).
            TtmBo.warn(bo, "ttm_bo_kmap: " + bo.name() + " has no resource (purged): bo->resource->size is a NULL"
                    + " dereference in the kernel (driver bug); -EINVAL here");
            return Errno.EINVAL;
        }
        if (numPages <= 0 || startPage + numPages > bo.numPages()) {
            return Errno.EINVAL;
        }
        return map(bo, startPage, numPages, ctx -> kernelProt(bo, ctx, numPages), out);
    }

    /**
     * What {@code ttm_bo_kmap()} and {@code ttm_bo_vmap()} share once the range is checked: the io
     * reserve ({@code ttm_mem_io_reserve()}), the populate of a tt, the release's protection
     * ({@code releaseProt}), the design's say ({@link TtmDecisions#kmapProt}), then the vmap / ioremap
     * (or none, for the linear map).
     */
    static int map(final TtmBufferObject bo, final long startPage, final int numPages,
            final java.util.function.ToLongFunction<MapContext> releaseProt, final KmapObj[] out) {
        final TtmDevice bdev = bo.bdev();
        final int io = TtmBoUtil.memIoReserve(bdev, bo.resource());
        if (io != Errno.OK) {
            return io;
        }
        final boolean iomem = bo.resource().busIsIomem();
        if (!iomem && TtmBo.populate(bo, new OperationCtx(false, false)) != Errno.OK) {
            return Errno.ENOMEM;
        }
        final long[] pfns = new long[numPages];
        for (int i = 0; i < numPages; i++) {
            pfns[i] = iomem ? bdev.funcs().ioMemPfn(bo, startPage + i) : bo.ttm().pages()[(int) (startPage + i)];
        }
        final Kernel kernel = bdev.kernel();
        final MapContext ctx = TtmMapContexts.of(bo);
        final long prot = bdev.decisions().kmapProt(ctx, numPages, releaseProt.applyAsLong(ctx));
        final long virtual = prot == TtmDecisions.LINEAR_MAP ? 0 : kernel.vmalloc().vmap(pfns, numPages, prot);
        out[0] = new KmapObj(bo, startPage, numPages, virtual, pfns);
        return Errno.OK;
    }

    /**
     * The release's choice in {@code ttm_bo_kmap()}: {@code ttm_bo_ioremap()} for iomem (MMIO is mapped
     * decrypted); {@code ttm_bo_kmap_ttm()}'s fast path for one cached page
     * ({@code num_pages == 1 && ttm->caching == ttm_cached}, and from v6.9 not DECRYPTED); otherwise a
     * vmap with {@code ttm_io_prot(bo, mem, PAGE_KERNEL)}.
     */
    static long kernelProt(final TtmBufferObject bo, final MapContext ctx, final int numPages) {
        if (ctx.iomem()) {
            return ctx.decrypted(ctx.vmapProt());
        }
        final boolean decryptedTt = ctx.ttDecrypted() && bo.bdev().kernel().release().has(Change.TT_FLAG_DECRYPTED);
        if (numPages == 1 && ctx.caching() == org.ttmsim.hw.Caching.CACHED && !decryptedTt) {
            return TtmDecisions.LINEAR_MAP;
        }
        return TtmBoUtil.ioProt(bo, ctx, Pgprot.pageKernel(ctx.cc()));
    }

    /** {@code ttm_bo_kunmap()}: vunmap (lazy: its TLB entries stay until the purge) unless the linear map was used. */
    public static void kunmap(final KmapObj map) {
        if (!map.linear()) {
            map.bo().bdev().kernel().vmalloc().vunmap(map.virtual(), map.numPages());
        }
    }
}
