package org.example.ttmdesign;

import org.ttmsim.design.Design;
import org.ttmsim.design.Prots;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code dma-pool-decrypted}: decrypt every tt mapping when the pool used DMA allocation, in every
 * mode. A user's own design, written against the published interface ({@link Design}, with the
 * protection helpers of {@link Prots}) and found on the class path through
 * {@code META-INF/services/org.ttmsim.design.Design}.
 *
 * <p>It is {@code upstream-2024}'s rule without the "and the guest encrypts memory" half: where the pool
 * allocates with {@code dma_alloc_coherent()}, the tt is marked DECRYPTED, its user PTEs are decrypted and
 * its kernel maps are decrypted vmaps. The question it answers: is the guest condition needed, or is "the
 * pages came from the DMA API" enough?
 */
public final class DecryptDmaPool implements Design {
    /** The kernel the patch is applied to when a run names none: v6.9, where TTM_TT_FLAG_DECRYPTED exists. */
    private static final String OWN_RELEASE = "v6.9";

    @Override
    public String id() {
        return "dma-pool-decrypted";
    }

    @Override
    public String summary() {
        return "Decrypt every tt mapping when the pool used DMA allocation, in every mode (guest or not).";
    }

    @Override
    public String origin() {
        return "examples/custom-design: upstream-2024 without its CC_ATTR_GUEST_MEM_ENCRYPT condition";
    }

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return Prots.decryptedIff(bo.poolUsesDmaAlloc(), kernelFlags);
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
