package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmTt;

/**
 * Design {@code always-decrypted}: Every device-visible mapping decrypted, in every mode ("assume always unencrypted").
 *
 * <p>Every tt is DECRYPTED, every PTE (iomem included) and every kernel map decrypted, in every mode.
 *
 * <p>Source: König, 3 Sep 2019, https://lore.kernel.org/r/cfe46eda-66b5-b40d-6721-84e6e0e1f5de@amd.com
 */
public final class AlwaysDecrypted implements Design {
    @Override
    public String id() {
        return "always-decrypted";
    }

    @Override
    public String summary() {
        return "Every device-visible mapping decrypted, in every mode (\"assume always unencrypted\").";
    }

    @Override
    public String origin() {
        return "König, 3 Sep 2019, https://lore.kernel.org/r/cfe46eda-66b5-b40d-6721-84e6e0e1f5de@amd.com";
    }

    /** {@value #OWN_RELEASE}: König suggested it in the September 2019 thread (v5.3). */
    private static final String OWN_RELEASE = "v5.3";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return kernelFlags | TtmTt.FLAG_DECRYPTED;
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
        return ctx.decrypted(kernelProt);
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return ctx.iomem() ? kernelProt : Prots.kmapDecryptedIf(true, ctx, kernelProt);
    }
}
