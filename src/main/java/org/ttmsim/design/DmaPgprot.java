package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code dma-pgprot}: An exported dma_pgprot() applied per fault: tt mappings decrypted iff force_dma_unencrypted(dev), whatever allocated the pages.
 *
 * <p>Every tt mapping (fault and vmap, no linear kmap) is decrypted when {@code force_dma_unencrypted(dev)},
 * whether or not the pages came from a coherent allocation.
 *
 * <p>Source: Hellström, 16 Mar 2020, "DMA, TTM and memory encryption", https://linuxlists.cc/l/1/linux-kernel/permalink/%3C3d2317cd-bc40-47cb-3dae-8caa80acd767%40shipmail.org%3E
 */
public final class DmaPgprot implements Design {
    @Override
    public String id() {
        return "dma-pgprot";
    }

    @Override
    public String summary() {
        return "An exported dma_pgprot() applied per fault: tt mappings decrypted iff force_dma_unencrypted(dev), whatever allocated the pages.";
    }

    @Override
    public String origin() {
        return "Hellström, 16 Mar 2020, \"DMA, TTM and memory encryption\", https://linuxlists.cc/l/1/linux-kernel/permalink/%3C3d2317cd-bc40-47cb-3dae-8caa80acd767%40shipmail.org%3E";
    }

    /** {@value #OWN_RELEASE}: proposed in March 2020, with the v5.7 dma_pgprot() fix. */
    private static final String OWN_RELEASE = "v5.7";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return Prots.withoutDecrypted(kernelFlags);
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
        return Prots.decIf(!ctx.iomem() && ctx.forceDmaUnencrypted(), ctx, kernelProt);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return Prots.kmapDecryptedIf(ctx.forceDmaUnencrypted(), ctx, kernelProt);
    }
}
