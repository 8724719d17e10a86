package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code dma-pgprot}: Exported dma_pgprot() applied per fault.
 *
 * <p>Source: Hellström, 2020-03-16, https://linuxlists.cc/l/1/linux-kernel/permalink/%3C3d2317cd-bc40-47cb-3dae-8caa80acd767%40shipmail.org%3E
 */
public final class DmaPgprot implements Design {
    @Override
    public String id() {
        return "dma-pgprot";
    }

    @Override
    public String summary() {
        return "Exported dma_pgprot() applied per fault.";
    }

    /** {@value #OWN_RELEASE}: proposed in March 2020, with the v5.7 dma_pgprot() fix. */
    private static final String OWN_RELEASE = "v5.7";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Hellström, 2020-03-16, https://linuxlists.cc/l/1/linux-kernel/permalink/%3C3d2317cd-bc40-47cb-3dae-8caa80acd767%40shipmail.org%3E";
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
        // dma_pgprot(): decrypted iff force_dma_unencrypted(dev), whatever allocated the pages.
        return Prots.ioProt(ctx, vmPageProt, ctx.forceDmaUnencrypted());
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        return Prots.kmap(ctx, numPages, pageKernel, !ctx.forceDmaUnencrypted(), ctx.forceDmaUnencrypted());
    }


    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        return mode.guestMemEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
