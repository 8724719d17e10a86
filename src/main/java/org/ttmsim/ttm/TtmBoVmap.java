package org.ttmsim.ttm;

import org.ttmsim.hw.Errno;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.release.Change;

/**
 * Models {@code ttm_bo_vmap()} / {@code ttm_bo_vunmap()} in drivers/gpu/drm/ttm/ttm_bo_util.c: the kernel
 * map of a whole buffer that {@code drm_gem_ttm_vmap()} (drivers/gpu/drm/drm_gem_ttm_helper.c) gives fbdev
 * emulation, the DRM clients and dma-buf vmap.
 *
 * <p>The release's rule ({@link #kernelProt}), from {@link Change#TTM_BO_VMAP} (43676605f890, v5.11): iomem
 * through one ioremap of the whole object (decrypted, with the bus caching); a tt always through
 * {@code vmap(ttm->pages, ttm->num_pages, 0, ttm_io_prot(bo, mem, PAGE_KERNEL))}, never the linear map,
 * however small the buffer ({@code ttm_io_prot()} decrypts a DECRYPTED tt from v6.9,
 * {@link Change#TT_FLAG_DECRYPTED}). Before v5.11 there is no such function: a driver that wants the whole
 * object mapped calls {@code ttm_bo_kmap(bo, 0, num_pages)} (as vmwgfx's {@code vmw_bo_map_and_cache()}
 * still does), whose one-page cached case is the linear map ({@link TtmBoKmap}). The design may patch the
 * protection at the same decision point as a kmap ({@link TtmDecisions#kmapProt}).
 */
public final class TtmBoVmap {
    private TtmBoVmap() {
    }

    /**
     * {@code ttm_bo_vmap()} of every page of the buffer (before v5.11, {@code ttm_bo_kmap(bo, 0,
     * num_pages)}); the BO must be reserved ({@code dma_resv_assert_held()}).
     *
     * @param out receives the map on success; its {@link TtmBoKmap.KmapObj#va} takes offsets into the BO
     * @return 0, -ENOMEM when the tt cannot be populated, -EINVAL for a buffer without resource
     */
    public static int vmap(final TtmBufferObject bo, final TtmBoKmap.KmapObj[] out) {
        final int numPages = (int) bo.numPages();
        if (!bo.bdev().kernel().release().has(Change.TTM_BO_VMAP)) {
            return TtmBoKmap.kmap(bo, 0, numPages, out);
        }
        if (bo.resource() == null) {
            // A purged buffer (v6.4 on): ttm_mem_io_reserve(bdev, bo->resource) reads through NULL (an oops).
            TtmBo.warn(bo, "ttm_bo_vmap: " + bo.name() + " has no resource (purged): ttm_mem_io_reserve() of a NULL"
                    + " bo->resource is a NULL dereference in the kernel (driver bug); -EINVAL here");
            return Errno.EINVAL;
        }
        return TtmBoKmap.map(bo, 0, numPages, ctx -> kernelProt(bo, ctx), out);
    }

    /**
     * The release's choice in {@code ttm_bo_vmap()}: iomem ioremapped ({@code ioremap_wc()},
     * {@code ioremap_cache()} or {@code ioremap()} by {@code bus.caching}: MMIO is mapped decrypted); a tt
     * vmapped with {@code ttm_io_prot(bo, mem, PAGE_KERNEL)}, with no fast path.
     */
    static long kernelProt(final TtmBufferObject bo, final MapContext ctx) {
        if (ctx.iomem()) {
            return ctx.decrypted(ctx.vmapProt());
        }
        return TtmBoUtil.ioProt(bo, ctx, Pgprot.pageKernel(ctx.cc()));
    }

    /**
     * {@code ttm_bo_vunmap()}: {@code vunmap()} of a tt's map or {@code iounmap()} of an iomem one (both
     * lazy here: the TLB entries stay until the purge), nothing for the linear map a pre-v5.11 one-page
     * kmap took.
     */
    public static void vunmap(final TtmBoKmap.KmapObj map) {
        TtmBoKmap.kunmap(map);
    }
}
