package org.ttmsim.design;

import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code v1-sev-active}: 2019 v1: tt-page mappings decrypted iff SEV is active (modes sev and sev-snp); iomem decrypted.
 *
 * <p>Every tt mapping (fault and vmap) is decrypted when {@code sev_active()}: SEV and SEV-SNP, not TDX
 * (the patch predates cc_platform_has); the one-page kmap keeps the linear map.
 *
 * <p>Source: Hellström, v1 patch 1/2, 23 Aug 2019, https://lore.kernel.org/r/20190823070828.18112-1-thomas_os@shipmail.org (2/2, -2, is the pool)
 */
public final class V1SevActive implements Design {
    @Override
    public String id() {
        return "v1-sev-active";
    }

    @Override
    public String summary() {
        return "2019 v1: tt-page mappings decrypted iff SEV is active (modes sev and sev-snp); iomem decrypted.";
    }

    @Override
    public String origin() {
        return "Hellström, v1 patch 1/2, 23 Aug 2019, https://lore.kernel.org/r/20190823070828.18112-1-thomas_os@shipmail.org (2/2, -2, is the pool)";
    }

    /** {@value #OWN_RELEASE}: posted in August 2019, against v5.3-rc. */
    private static final String OWN_RELEASE = "v5.3";

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
        return Prots.decIf(!ctx.iomem() && sevActive(ctx), ctx, kernelProt);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return ctx.iomem() || kernelProt == LINEAR_MAP ? kernelProt : Prots.decIf(sevActive(ctx), ctx, kernelProt);
    }

    /** {@code sev_active()} of 2019: SEV, and SEV-SNP which keeps SEV's bit. */
    private static boolean sevActive(final MapContext ctx) {
        return ctx.cc().mode() == EncryptionMode.SEV || ctx.cc().mode() == EncryptionMode.SEV_SNP;
    }
}
