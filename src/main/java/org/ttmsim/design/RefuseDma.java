package org.ttmsim.design;

import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;

/**
 * Design {@code refuse-dma}: vmwgfx 2020-2024: no DMA under memory encryption (no GMR/MOB, so no tt); TTM as it was. No patch: the release decides.
 *
 * <p>A release, not a patch: vmwgfx's refusal is the driver's rule on v5.7 to v6.8
 * ({@code ttmsim kernels}), so on its own release (v6.1) this design is that era's kernel and on v6.9 or
 * later it equals {@code stock}.
 *
 * <p>Source: drm/vmwgfx: Refuse DMA operation when SEV encryption is active (3b0d6458c705, v5.7) until drm/vmwgfx: Enable DMA mappings with SEV (4c08f01934ab, v6.9)
 */
public final class RefuseDma implements Design {
    @Override
    public String id() {
        return "refuse-dma";
    }

    @Override
    public String summary() {
        return "vmwgfx 2020-2024: no DMA under memory encryption (no GMR/MOB, so no tt); TTM as it was. No patch: the release decides.";
    }

    @Override
    public String origin() {
        return "drm/vmwgfx: Refuse DMA operation when SEV encryption is active (3b0d6458c705, v5.7) until drm/vmwgfx: Enable DMA mappings with SEV (4c08f01934ab, v6.9)";
    }

    /** {@value #OWN_RELEASE}: vmwgfx refused DMA under memory encryption from v5.7 to v6.8; v6.1 is that era's LTS. */
    private static final String OWN_RELEASE = "v6.1";

    @Override
    public KernelRelease ownRelease() {
        return KernelRelease.parse(OWN_RELEASE);
    }

    @Override
    public int ttFlags(final TtView bo, final int kernelFlags) {
        return kernelFlags;
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
        return kernelProt;
    }

    @Override
    public long kmapProt(final MapContext ctx, final int numPages, final long kernelProt) {
        return kernelProt;
    }
}
