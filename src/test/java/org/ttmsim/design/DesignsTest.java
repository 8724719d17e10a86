package org.ttmsim.design;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CcPlatform;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.mm.VmFlags;
import org.ttmsim.ttm.MapContext;
import org.ttmsim.ttm.TtmMapPolicy;
import org.ttmsim.ttm.TtmTt;

/** Each design's answers at the decision points, as the reference's §4 table and SPEC §5 state them. */
class DesignsTest {
    private static final int SHARED_RW = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_SHARED;

    @Test
    void shouldListTheTenDesignsInSpecOrder() {
        assertThat(Designs.ids()).containsExactly("pre-2019", "v1-sev-active", "v2-per-fault", "mmap-time",
                "insert-pfn", "dma-mmap-coherent", "dma-pgprot", "refuse-dma", "always-decrypted", "upstream-2024");
    }

    private static MapContext tt(final EncryptionMode mode, final int flags, final boolean dmaAlloc,
            final boolean forced) {
        return new MapContext(false, Caching.CACHED, flags, dmaAlloc, forced, new CcPlatform(mode, 47));
    }

    private static MapContext iomem(final EncryptionMode mode) {
        return new MapContext(true, Caching.WRITE_COMBINED, 0, false, false, new CcPlatform(mode, 47));
    }

    static Stream<Arguments> faultProtForSevDmaPages() {
        // SEV guest, tt pages from a forced-unencrypted coherent allocation (reference §6 item 1).
        return Stream.of(
                Arguments.of("pre-2019", 0, true),
                Arguments.of("v1-sev-active", 0, false),
                Arguments.of("v2-per-fault", TtmTt.FLAG_DECRYPTED, false),
                Arguments.of("insert-pfn", 0, true),
                Arguments.of("dma-pgprot", 0, false),
                Arguments.of("refuse-dma", 0, true),
                Arguments.of("always-decrypted", TtmTt.FLAG_DECRYPTED, false),
                Arguments.of("upstream-2024", TtmTt.FLAG_DECRYPTED, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void faultProtForSevDmaPages(final String id, final int ttFlags, final boolean expectPrivate) {
        final Design d = Designs.byId(id);
        final MapContext ctx = tt(EncryptionMode.SEV, ttFlags, true, true);
        final long vmPageProt = Pgprot.vmGetPageProt(ctx.cc(), SHARED_RW);
        assertThat(ctx.cc().isPrivate(d.faultProt(ctx, vmPageProt))).isEqualTo(expectPrivate);
    }

    @ParameterizedTest
    @MethodSource("org.ttmsim.design.DesignsTest#ids")
    void shouldMapIomemDecryptedExceptWhereTheVmaProtIsUsedVerbatim(final String id) {
        final Design d = Designs.byId(id);
        final MapContext ctx = iomem(EncryptionMode.SME);
        final long vmPageProt = d.vmaProtAtMmap(ctx, Pgprot.vmGetPageProt(ctx.cc(), SHARED_RW));
        final boolean priv = ctx.cc().isPrivate(d.faultProt(ctx, vmPageProt));
        assertThat(priv).isEqualTo(id.equals("insert-pfn"));
    }

    static Stream<String> ids() {
        return Designs.ids().stream();
    }

    @Test
    void shouldKeepTheEncryptionBitChosenAtMmapInMmapTime() {
        final Design d = Designs.byId("mmap-time");
        final MapContext atMmap = tt(EncryptionMode.SME, 0, false, false);
        final long vma = d.vmaProtAtMmap(atMmap, Pgprot.vmGetPageProt(atMmap.cc(), SHARED_RW));
        final long later = d.faultProt(iomem(EncryptionMode.SME), vma);
        assertThat(atMmap.cc().isPrivate(later)).isTrue();
        assertThat(Pte.caching(later)).isEqualTo(Caching.WRITE_COMBINED);
    }

    @Test
    void shouldUseTheLinearMapForOneCachedPageUnlessDecrypted() {
        final Design d = Designs.byId("upstream-2024");
        final long pk = Pgprot.pageKernel(new CcPlatform(EncryptionMode.SEV, 47));
        assertThat(d.kmapProt(tt(EncryptionMode.SEV, 0, false, true), 1, pk)).isEqualTo(TtmMapPolicy.LINEAR_MAP);
        final MapContext decrypted = tt(EncryptionMode.SEV, TtmTt.FLAG_DECRYPTED, true, true);
        final long prot = d.kmapProt(decrypted, 1, pk);
        assertThat(prot).isNotEqualTo(TtmMapPolicy.LINEAR_MAP);
        assertThat(decrypted.cc().isPrivate(prot)).isFalse();
    }

    @Test
    void shouldDecryptOnTdxBySettingTheSharedBit() {
        final MapContext ctx = tt(EncryptionMode.TDX, TtmTt.FLAG_DECRYPTED, true, true);
        final long prot = Designs.byId("upstream-2024").faultProt(ctx, Pgprot.vmGetPageProt(ctx.cc(), SHARED_RW));
        assertThat(Pte.encBit(prot, 47)).isTrue();
        assertThat(ctx.cc().isPrivate(prot)).isFalse();
    }

    @Test
    void shouldChooseVmwgfxDmaModeByEra() {
        assertThat(Designs.byId("pre-2019").vmwgfxDmaMode(EncryptionMode.SEV)).isEqualTo(VmwDmaMode.ALLOC_COHERENT);
        assertThat(Designs.byId("refuse-dma").vmwgfxDmaMode(EncryptionMode.SEV)).isEqualTo(VmwDmaMode.REFUSE);
        assertThat(Designs.byId("refuse-dma").vmwgfxDmaMode(EncryptionMode.NONE)).isEqualTo(VmwDmaMode.MAP_POPULATE);
        assertThat(Designs.byId("upstream-2024").vmwgfxDmaMode(EncryptionMode.SME))
                .isEqualTo(VmwDmaMode.ALLOC_COHERENT);
    }
}
