package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code v1-sev-active}: 2019 v1: decrypt tt-page mappings iff SEV is active (sev, sev-snp); iomem decrypted.
 *
 * <p>Source: Hellström, 2019-08-23 v1, https://lore.kernel.org/r/20190823070828.18112-2-thomas_os@shipmail.org
 */
public final class V1SevActive implements Design {
    @Override
    public String id() {
        return "v1-sev-active";
    }

    @Override
    public String summary() {
        return "2019 v1: decrypt tt-page mappings iff SEV is active (sev, sev-snp); iomem decrypted.";
    }

    /** {@value #OWN_RELEASE}: posted in August 2019, against v5.3-rc. */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public String origin() {
        return "Hellström, 2019-08-23 v1, https://lore.kernel.org/r/20190823070828.18112-2-thomas_os@shipmail.org";
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
        return Prots.ioProt(ctx, vmPageProt, ctx.cc().mode() == EncryptionMode.SEV || ctx.cc().mode() == EncryptionMode.SEV_SNP);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long pageKernel) {
        return Prots.kmap(ctx, numPages, pageKernel, true, ctx.cc().mode() == EncryptionMode.SEV || ctx.cc().mode() == EncryptionMode.SEV_SNP);
    }


    @Override
    public VmwDmaMode vmwgfxDmaMode(final EncryptionMode mode) {
        return mode.guestMemEncrypt() ? VmwDmaMode.ALLOC_COHERENT : VmwDmaMode.MAP_POPULATE;
    }
}
