package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code mmap-time}: v2-per-fault's rule evaluated once, at mmap, for the placement of that moment, and kept in vm_page_prot for every later fault.
 *
 * <p>The encryption bit of every PTE is the one mmap put in {@code vm_page_prot} (decrypted iff the
 * backing at mmap was iomem or forced-unencrypted coherent memory); caching still follows the backing
 * per fault. Kernel maps follow v2.
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
        return "v2-per-fault's rule evaluated once, at mmap, for the placement of that moment, and kept in vm_page_prot for every later fault.";
    }

    @Override
    public String origin() {
        return "Hansen, 3 Sep 2019, https://lore.kernel.org/r/7fa3b178-b9b4-2df9-1eee-54e24d48342e@intel.com";
    }

    /** {@value #OWN_RELEASE}: Hansen asked it in the September 2019 thread (v5.3). */
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
        return Prots.decIf(now.iomem() || (now.dmaAllocPool() && now.forceDmaUnencrypted()), now, vmPageProt);
    }

    @Override
    public boolean mapsWholeBoAtMmap() {
        return false;
    }

    @Override
    public long faultProt(final MapContext ctx, final long vmPageProt, final long kernelProt) {
        return Prots.encryptionOf(ctx, vmPageProt, kernelProt);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return Prots.kmapDecryptedIf(ctx.ttDecrypted(), ctx, kernelProt);
    }
}
