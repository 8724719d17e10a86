package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code v2-per-fault}: 2019 v2 (Hellström): per-fault protection, decrypted iff the tt pages came from a forced-unencrypted DMA allocation.
 *
 * <p>Source: Hellström, 2019-09-03 v2 3/4, https://lore.kernel.org/r/20190903131504.18935-4-thomas_os@shipmail.org
 */
public final class V2PerFault implements Design {
    @Override
    public String id() {
        return "v2-per-fault";
    }

    @Override
    public String summary() {
        return "2019 v2 (Hellström): per-fault protection, decrypted iff the tt pages came from a forced-unencrypted DMA allocation.";
    }

    /** {@value #OWN_RELEASE}: posted on 3 September 2019, against v5.3-rc. */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Hellström, 2019-09-03 v2 3/4, https://lore.kernel.org/r/20190903131504.18935-4-thomas_os@shipmail.org";
    }

    @Override
    public int ttFlagsAtCreate(final TtmBufferObjectView bo, final int kernelFlags) {
        final int base = kernelFlags & ~TtmTt.FLAG_DECRYPTED;
        // v2 sets the flag where the pages come from a forced-unencrypted coherent allocation.
        return bo.poolUsesDmaAlloc() && bo.forceDmaUnencrypted() ? base | TtmTt.FLAG_DECRYPTED : base;
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
        return mode.guestMemEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
