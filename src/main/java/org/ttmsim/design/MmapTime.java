package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code mmap-time}: v2-per-fault's rule evaluated once, at mmap, for the placement of that moment, and kept for every later fault.
 *
 * <p>Source: Hansen, 3 Sep 2019, https://lore.kernel.org/r/7fa3b178-b9b4-2df9-1eee-54e24d48342e@intel.com
 */
public final class MmapTime implements Design {
    @Override
    public String id() {
        return "mmap-time";
    }

    @Override
    public String summary() {
        return "v2-per-fault's rule evaluated once, at mmap, for the placement of that moment, and kept for every later fault.";
    }

    /** {@value #OWN_RELEASE}: Hansen asked it in the September 2019 thread (v5.3). */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Hansen, 3 Sep 2019, https://lore.kernel.org/r/7fa3b178-b9b4-2df9-1eee-54e24d48342e@intel.com";
    }

    @Override
    public int ttFlagsAtCreate(final TtmBufferObjectView bo, final int kernelFlags) {
        final int base = kernelFlags & ~TtmTt.FLAG_DECRYPTED;
        // v2 sets the flag where the pages come from a forced-unencrypted coherent allocation.
        return bo.poolUsesDmaAlloc() && bo.forceDmaUnencrypted() ? base | TtmTt.FLAG_DECRYPTED : base;
    }

    @Override
    public long vmaProtAtMmap(final MapContext now, final long vmPageProt) {
        // v2-per-fault's rule, evaluated once for the backing of this moment, kept in vm_page_prot.
        final boolean decrypt = now.iomem() || (now.dmaAllocPool() && now.forceDmaUnencrypted());
        return Prots.decIf(decrypt, now, vmPageProt);
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt) {
        // Caching still follows the backing per fault; the encryption bit is the one fixed at mmap.
        return Prots.caching(ctx, vmPageProt);
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
