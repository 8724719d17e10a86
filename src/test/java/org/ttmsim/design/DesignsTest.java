package org.ttmsim.design;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CcPlatform;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.mm.VmFlags;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.ttm.TtmTt;

/**
 * Each design's patch at the decision points, given what the release computed, as docs/DESIGNS.md
 * states them.
 */
class DesignsTest {
    private static final int SHARED_RW = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_SHARED;

    @Test
    void shouldListTheTenSpecDesignsInOrderThenStock() {
        assertThat(Designs.ids()).containsExactly("pre-2019", "v1-sev-active", "v2-per-fault", "mmap-time",
                "insert-pfn", "dma-mmap-coherent", "dma-pgprot", "refuse-dma", "always-decrypted", "upstream-2024",
                "stock");
    }

    @Test
    void shouldNameTheReleaseEachDesignWasWrittenFor() {
        assertThat(Designs.byId("pre-2019").ownRelease()).isEqualTo(KernelRelease.parse("v5.3"));
        assertThat(Designs.byId("dma-mmap-coherent").ownRelease()).isEqualTo(KernelRelease.parse("v5.7"));
        assertThat(Designs.byId("refuse-dma").ownRelease()).isEqualTo(KernelRelease.parse("v6.1"));
        assertThat(Designs.byId("upstream-2024").ownRelease()).isEqualTo(KernelRelease.parse("v6.9"));
        assertThat(Designs.byId("stock").ownRelease()).isEqualTo(org.ttmsim.release.Releases.newest());
    }

    private static MapContext tt(final EncryptionMode mode, final int flags, final boolean dmaAlloc,
            final boolean forced) {
        return new MapContext(false, Caching.CACHED, flags, dmaAlloc, forced, forced, new CcPlatform(mode, 47));
    }

    private static MapContext iomem(final EncryptionMode mode) {
        return new MapContext(true, Caching.WRITE_COMBINED, 0, false, false, false, new CcPlatform(mode, 47));
    }

    static Stream<Arguments> faultProtForSevDmaPages() {
        // SEV guest, tt pages from a forced-unencrypted coherent allocation (the 2019 thread's founding case), on a
        // release before TTM_TT_FLAG_DECRYPTED: the kernel's prot is vm_page_prot (encrypted).
        return Stream.of(
                Arguments.of("pre-2019", 0, true),
                Arguments.of("v1-sev-active", 0, false),
                Arguments.of("v2-per-fault", TtmTt.FLAG_DECRYPTED, false),
                Arguments.of("insert-pfn", 0, true),
                Arguments.of("dma-pgprot", 0, false),
                Arguments.of("refuse-dma", 0, true),
                Arguments.of("always-decrypted", TtmTt.FLAG_DECRYPTED, false),
                Arguments.of("upstream-2024", TtmTt.FLAG_DECRYPTED, false),
                Arguments.of("stock", 0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void faultProtForSevDmaPages(final String id, final int ttFlags, final boolean expectPrivate) {
        final Design d = Designs.byId(id);
        final MapContext ctx = tt(EncryptionMode.SEV, ttFlags, true, true);
        final long vmPageProt = Pgprot.vmGetPageProt(ctx.cc(), SHARED_RW);

        assertThat(ctx.cc().isPrivate(d.faultProt(ctx, vmPageProt, vmPageProt))).isEqualTo(expectPrivate);
    }

    @ParameterizedTest
    @MethodSource("org.ttmsim.design.DesignsTest#ids")
    void shouldKeepIomemDecryptedExceptWhereTheVmaProtIsUsedVerbatim(final String id) {
        final Design d = Designs.byId(id);
        final MapContext ctx = iomem(EncryptionMode.SME);
        final long vmPageProt = d.vmaProt(ctx, Pgprot.vmGetPageProt(ctx.cc(), SHARED_RW));
        final long kernelProt = ctx.decrypted(ctx.withCaching(vmPageProt));

        final boolean priv = ctx.cc().isPrivate(d.faultProt(ctx, vmPageProt, kernelProt));

        assertThat(priv).isEqualTo(id.equals("insert-pfn"));
    }

    static Stream<String> ids() {
        return Designs.ids().stream();
    }

    @Test
    void shouldKeepTheEncryptionBitChosenAtMmapInMmapTime() {
        final Design d = Designs.byId("mmap-time");
        final MapContext atMmap = tt(EncryptionMode.SME, 0, false, false);
        final long vma = d.vmaProt(atMmap, Pgprot.vmGetPageProt(atMmap.cc(), SHARED_RW));
        final MapContext later = iomem(EncryptionMode.SME);

        final long prot = d.faultProt(later, vma, later.decrypted(later.withCaching(vma)));

        assertThat(atMmap.cc().isPrivate(prot)).isTrue();
        assertThat(Pte.caching(prot)).isEqualTo(Caching.WRITE_COMBINED);
    }

    @Test
    void shouldTakeTheLinearMapAwayFromDecryptedTtsInUpstream2024() {
        final Design d = Designs.byId("upstream-2024");
        assertThat(d.kmapProt(tt(EncryptionMode.SEV, 0, false, true), 1, TtmDecisions.LINEAR_MAP))
                .isEqualTo(TtmDecisions.LINEAR_MAP);
        final MapContext decrypted = tt(EncryptionMode.SEV, TtmTt.FLAG_DECRYPTED, true, true);

        final long prot = d.kmapProt(decrypted, 1, TtmDecisions.LINEAR_MAP);

        assertThat(prot).isNotEqualTo(TtmDecisions.LINEAR_MAP);
        assertThat(decrypted.cc().isPrivate(prot)).isFalse();
    }

    @Test
    void shouldDecryptOnTdxBySettingTheSharedBit() {
        final MapContext ctx = tt(EncryptionMode.TDX, TtmTt.FLAG_DECRYPTED, true, true);
        final long vmPageProt = Pgprot.vmGetPageProt(ctx.cc(), SHARED_RW);

        final long prot = Designs.byId("upstream-2024").faultProt(ctx, vmPageProt, vmPageProt);

        assertThat(Pte.encBit(prot, 47)).isTrue();
        assertThat(ctx.cc().isPrivate(prot)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("org.ttmsim.design.DesignsTest#ids")
    void shouldSetOrClearDecryptedAsEachPatchSays(final String id) {
        final TtmDecisions.TtView sevDmaPool = new TtmDecisions.TtView() {
            @Override
            public boolean poolUsesDmaAlloc() {
                return true;
            }

            @Override
            public boolean forceDmaUnencrypted() {
                return true;
            }

            @Override
            public boolean guestMemEncrypt() {
                return true;
            }

            @Override
            public int type() {
                return 0;
            }
        };
        final int flags = Designs.byId(id).ttFlags(sevDmaPool, TtmTt.FLAG_ZERO_ALLOC);

        final boolean decrypted = (flags & TtmTt.FLAG_DECRYPTED) != 0;
        assertThat(flags & TtmTt.FLAG_ZERO_ALLOC).isNotZero();
        assertThat(decrypted).as(id).isEqualTo(java.util.List.of("v2-per-fault", "mmap-time", "always-decrypted",
                "upstream-2024").contains(id));
    }
}
