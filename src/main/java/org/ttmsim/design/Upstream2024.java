package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code upstream-2024}: Today: TTM_TT_FLAG_DECRYPTED iff the pool uses DMA allocation and the guest encrypts memory; per-fault vmf_insert_pfn_prot.
 *
 * <p>Source: Rusin, 2024, https://lore.kernel.org/r/20240105135105.1921947-1-zack.rusin@broadcom.com; drm/vmwgfx: Enable DMA mappings with SEV (2024-04)
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

    /** {@value #OWN_RELEASE}: TTM_TT_FLAG_DECRYPTED and vmwgfx's coherent mode landed in v6.9. */
    private static final String OWN_RELEASE = "v6.9";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Rusin, 2024, https://lore.kernel.org/r/20240105135105.1921947-1-zack.rusin@broadcom.com; drm/vmwgfx: Enable DMA mappings with SEV (2024-04)";
    }

    @Override
    public int ttFlagsAtCreate(final TtmBufferObjectView bo, final int kernelFlags) {
        // ttm_tt_create(): DECRYPTED iff use_dma_alloc && CC_ATTR_GUEST_MEM_ENCRYPT, as TTM computed.
        return kernelFlags;
    }

    @Override
    public long vmaProtAtMmap(final MapContext now, final long vmPageProt) {
        return vmPageProt;
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt) {
        return Prots.ioProt(ctx, vmPageProt, ctx.ttDecrypted());
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        return Prots.kmap(ctx, numPages, pageKernel, !ctx.ttDecrypted(), ctx.ttDecrypted());
    }


    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        // Since 2024: coherent under CC_ATTR_MEM_ENCRYPT, else ttm tt pool pages bounce through swiotlb.
        return mode.memEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
