package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code v2-per-fault}: 2019 v2: per-fault protection, decrypted iff the tt pages came from a forced-unencrypted DMA allocation.
 *
 * <p>TTM_PAGE_FLAG_DECRYPTED is set where the pool allocates coherent memory that
 * {@code force_dma_unencrypted(dev)} decrypts (the NAKed export), and every mapping of such a tt (fault,
 * vmap, no linear kmap) is decrypted.
 *
 * <p>Source: Hellström, v2 3/4, 3 Sep 2019, https://lore.kernel.org/r/20190903131504.18935-4-thomas_os@shipmail.org
 */
public final class V2PerFault implements Design {
    @Override
    public String id() {
        return "v2-per-fault";
    }

    @Override
    public String summary() {
        return "2019 v2: per-fault protection, decrypted iff the tt pages came from a forced-unencrypted DMA allocation.";
    }

    @Override
    public String origin() {
        return "Hellström, v2 3/4, 3 Sep 2019, https://lore.kernel.org/r/20190903131504.18935-4-thomas_os@shipmail.org";
    }

    /** {@value #OWN_RELEASE}: posted on 3 September 2019, against v5.3-rc. */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return Prots.decryptedIff(bo.poolUsesDmaAlloc() && bo.forceDmaUnencrypted(), kernelFlags);
    }

    @Override
    public long vmaProt(final MapContext now, final long vmPageProt) {
        return vmPageProt;
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt, final long kernelProt) {
        return Prots.decIf(!ctx.iomem() && ctx.ttDecrypted(), ctx, kernelProt);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return Prots.kmapDecryptedIf(ctx.ttDecrypted(), ctx, kernelProt);
    }
}
