package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code upstream-2024}: Today: TTM_TT_FLAG_DECRYPTED iff the pool uses DMA allocation and the guest encrypts memory; per-fault vmf_insert_pfn_prot.
 *
 * <p>The 2024 patch as a backport: DECRYPTED iff {@code use_dma_alloc && CC_ATTR_GUEST_MEM_ENCRYPT},
 * such tts mapped decrypted and never through the linear kmap (as 6.1.120 stable has it). On v6.9 or
 * later the release already does this, and the patch changes nothing.
 *
 * <p>Source: Rusin, drm/ttm: Make sure the mapped tt pages are decrypted when needed (71ce046327cf, v6.9), https://lore.kernel.org/r/20240105135105.1921947-1-zack.rusin@broadcom.com
 */
public final class Upstream2024 implements Design {
    @Override
    public String id() {
        return "upstream-2024";
    }

    @Override
    public String summary() {
        return "Today: TTM_TT_FLAG_DECRYPTED iff the pool uses DMA allocation and the guest encrypts memory; per-fault vmf_insert_pfn_prot.";
    }

    @Override
    public String origin() {
        return "Rusin, drm/ttm: Make sure the mapped tt pages are decrypted when needed (71ce046327cf, v6.9), https://lore.kernel.org/r/20240105135105.1921947-1-zack.rusin@broadcom.com";
    }

    /** {@value #OWN_RELEASE}: TTM_TT_FLAG_DECRYPTED and vmwgfx's coherent mode landed in v6.9. */
    private static final String OWN_RELEASE = "v6.9";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return Prots.decryptedIff(bo.poolUsesDmaAlloc() && bo.guestMemEncrypt(), kernelFlags);
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
