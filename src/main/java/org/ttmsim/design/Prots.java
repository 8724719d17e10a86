package org.ttmsim.design;

import org.ttmsim.ttm.MapContext;

/** The protection arithmetic the designs share: the pieces of {@code ttm_io_prot()} and friends. */
final class Prots {
    private Prots() {
    }

    /** {@code ttm_prot_from_caching()}: the backing's caching on top of {@code prot}. */
    static long caching(final MapContext ctx, final long prot) {
        return org.ttmsim.mm.Pgprot.withCaching(prot, ctx.caching());
    }

    /** {@code pgprot_decrypted()}. */
    static long dec(final MapContext ctx, final long prot) {
        return ctx.cc().mkDec(prot);
    }

    /** {@code pgprot_decrypted()} iff {@code cond}. */
    static long decIf(final boolean cond, final MapContext ctx, final long prot) {
        return cond ? ctx.cc().mkDec(prot) : prot;
    }

    /** The kmap fast path's condition: one cached system page. */
    static boolean singleCachedPage(final MapContext ctx, final int numPages) {
        return !ctx.iomem() && numPages == 1 && ctx.caching() == org.ttmsim.hw.Caching.CACHED;
    }

    /**
     * {@code ttm_io_prot()}'s shape at fault time: the backing's caching, decrypted for iomem ("Iomem
     * should not be marked encrypted") and, for system pages, iff {@code decryptTt}.
     */
    static long ioProt(final MapContext ctx, final long vmPageProt, final boolean decryptTt) {
        return decIf(ctx.iomem() || decryptTt, ctx, caching(ctx, vmPageProt));
    }

    /**
     * {@code ttm_bo_kmap()}'s shape: iomem through a decrypted ioremap; one cached system page through
     * the linear map when {@code linearAllowed}; otherwise a vmap, decrypted iff {@code decrypt}.
     */
    static long kmap(final MapContext ctx, final int numPages, final long pageKernel, final boolean linearAllowed,
            final boolean decrypt) {
        if (ctx.iomem()) {
            return dec(ctx, caching(ctx, pageKernel));
        }
        if (linearAllowed && singleCachedPage(ctx, numPages)) {
            return org.ttmsim.ttm.TtmMapPolicy.LINEAR_MAP;
        }
        return decIf(decrypt, ctx, caching(ctx, pageKernel));
    }
}
