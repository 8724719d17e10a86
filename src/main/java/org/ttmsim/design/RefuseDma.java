package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code refuse-dma}: vmwgfx 2020-2024: guest-backed (tt) DMA refused in guest modes; elsewhere TTM as in 2020-2023.
 *
 * <p>Source: v5.7 drm/vmwgfx: Refuse DMA operation when SEV encryption is active; TTM per v5.6 vm page protection fix
 */
public final class RefuseDma implements Design {
    @Override
    public String id() {
        return "refuse-dma";
    }

    @Override
    public String summary() {
        return "vmwgfx 2020-2024: guest-backed (tt) DMA refused in guest modes; elsewhere TTM as in 2020-2023.";
    }

    /** {@value #OWN_RELEASE}: vmwgfx refused DMA under memory encryption from v5.7 to v6.8; v6.1 is that era's LTS. */
    private static final String OWN_RELEASE = "v6.1";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "v5.7 drm/vmwgfx: Refuse DMA operation when SEV encryption is active; TTM per v5.6 vm page protection fix";
    }

    @Override
    public int ttFlagsAtCreate(final TtmBufferObjectView bo, final int kernelFlags) {
        return kernelFlags & ~TtmTt.FLAG_DECRYPTED;
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
        // TTM 2020-2023: system pages keep vm_page_prot (encrypted); iomem is decrypted.
        return Prots.ioProt(ctx, vmPageProt, false);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        return Prots.kmap(ctx, numPages, pageKernel, true, false);
    }


    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        return mode.guestMemEncrypt() ? VmwDmaMode.REFUSE : VmwDmaMode.MAP_POPULATE;
    }
}
