package org.ttmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.machine;
import static org.ttmsim.hw.TestMachines.pattern;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.CostParams;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.hw.GuestTerminated;
import org.ttmsim.release.KernelRelease;

/**
 * Tests {@link DirectMap}: the linear map and {@code __set_memory_enc_pgtable()}'s sequence (cache flush
 * unless SME_COHERENT, the mode's hypercalls, PTE rewrite with 2 MiB splits, TLB shootdown, frame states)
 * and its failure path (-EIO, quarantine).
 */
class DirectMapTest {
    /** Inside the page allocator's range (above the kernel image and a 64 MiB SWIOTLB). */
    private static final long PMD_PFN = 0x10000;
    private static final int CPUS = 4;

    private static Kernel boot(final TestMachines.Builder b) {
        return new Kernel(b.build());
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void shouldMapRamEncryptedWhenMemoryEncryptionIsActive(final EncryptionMode mode) {
        final Kernel k = boot(machine(mode));
        final long pte = k.directMap().pte(PMD_PFN);

        assertThat(Pte.pfn(pte, 47)).isEqualTo(PMD_PFN);
        assertThat(Pte.present(pte) && Pte.writable(pte)).isTrue();
        assertThat(k.machine().cc().isPrivate(pte)).isEqualTo(mode != EncryptionMode.NONE);
        assertThat(k.directMap().isDecrypted(PMD_PFN)).isFalse();
    }

    /** mode, sme-coherent, pages flushed for a 4-page conversion. */
    static Stream<Arguments> cacheFlushes() {
        return Stream.of(Arguments.of(EncryptionMode.SME, false, 4), Arguments.of(EncryptionMode.SME, true, 0),
                Arguments.of(EncryptionMode.SEV, false, 4), Arguments.of(EncryptionMode.SEV, true, 0),
                Arguments.of(EncryptionMode.SEV_SNP, false, 4), Arguments.of(EncryptionMode.SEV_SNP, true, 0),
                Arguments.of(EncryptionMode.TDX, false, 4), Arguments.of(EncryptionMode.TDX, true, 4));
    }

    @ParameterizedTest(name = "{0} sme-coherent={1}: {2} pages")
    @MethodSource("cacheFlushes")
    void shouldFlushCachesUnlessSmeCoherentWhenConverting(final EncryptionMode mode, final boolean coherent,
            final int flushed) {
        final Kernel k = boot(machine(mode).smeCoherent(coherent));

        assertThat(k.directMap().setMemoryDecrypted(PMD_PFN, 4)).isEqualTo(Errno.OK);

        assertThat(k.machine().ledger().get(Counter.CACHE_FLUSH_PAGES)).isEqualTo(flushed);
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.CACHE_FLUSH)
                .hasSize(flushed == 0 ? 0 : 1);
    }

    @Test
    void shouldSkipTheFlushAndReportTheInjectionWhenSkipCacheFlushIsInjected() {
        final Kernel k = boot(machine(EncryptionMode.SEV).inject(Injection.SKIP_CACHE_FLUSH));

        assertThat(k.directMap().setMemoryDecrypted(PMD_PFN, 4)).isEqualTo(Errno.OK);

        assertThat(k.machine().ledger().get(Counter.CACHE_FLUSH_PAGES)).isZero();
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.INJECT).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("skip-cache-flush"));
        assertThat(k.directMap().isDecrypted(PMD_PFN)).isTrue();
    }

    /** mode, hypercalls per conversion request. */
    /**
     * mode, VMM calls for 8 pages at the start of a 2 MiB mapping made shared then private again: SEV one
     * KVM_HC_MAP_GPA_RANGE per (now split) 4 KiB entry each way; SEV-SNP also one page-state-change
     * VMGEXIT each way; TDX one MapGPA each way.
     */
    static Stream<Arguments> hypercalls() {
        return Stream.of(Arguments.of(EncryptionMode.NONE, 0), Arguments.of(EncryptionMode.SME, 0),
                Arguments.of(EncryptionMode.SEV, 16), Arguments.of(EncryptionMode.SEV_SNP, 18),
                Arguments.of(EncryptionMode.TDX, 2));
    }

    @ParameterizedTest(name = "{0}: {1} VMM calls")
    @MethodSource("hypercalls")
    void shouldIssueTheModesHypercallsWhenConvertingBothWays(final EncryptionMode mode, final int calls) {
        final Kernel k = boot(machine(mode));

        k.directMap().setMemoryDecrypted(PMD_PFN, 8);
        k.directMap().setMemoryEncrypted(PMD_PFN, 8);

        assertThat(k.machine().ledger().get(Counter.HYPERCALLS)).isEqualTo(calls);
    }

    @Test
    void shouldTellKvmNothingOfAnSevConversionBeforeV516() {
        final Kernel k = new Kernel(machine(EncryptionMode.SEV).build(), KernelRelease.parse("v5.15"));

        k.directMap().setMemoryDecrypted(PMD_PFN, 8);

        assertThat(k.machine().ledger().get(Counter.HYPERCALLS)).isZero();
        assertThat(k.machine().frameStates().isShared(PMD_PFN)).isTrue();
    }

    @Test
    void shouldMakeOneKvmHypercallForAWhole2MiBMappingAndOnePerPageOnceSplit() {
        final Kernel k = boot(machine(EncryptionMode.SEV));

        k.directMap().setMemoryDecrypted(PMD_PFN, 512);
        final long whole = k.machine().ledger().get(Counter.HYPERCALLS);
        k.directMap().setMemoryDecrypted(PMD_PFN + 512, 256);

        assertThat(whole).isEqualTo(1);
        assertThat(k.machine().ledger().get(Counter.HYPERCALLS) - whole).isEqualTo(256);
    }

    @ParameterizedTest(name = "{0}: {1} page-state-change VMGEXITs")
    @CsvSource({"v5.19, 3", "v6.5, 8"})
    void shouldBatchSnpPageStateChangesPerRelease(final String release, final int exits) {
        // 512 pages at PMD_PFN + 1 (not aligned: no 2 MiB entry): 253 per VMGEXIT before v6.5, 64 after.
        final Kernel k = new Kernel(machine(EncryptionMode.SEV_SNP).build(), KernelRelease.parse(release));

        k.directMap().setMemoryDecrypted(PMD_PFN + 1, 512);

        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.HYPERCALL)
                .anySatisfy(e -> assertThat(e.detail()).startsWith("VMGEXIT page-state-change x" + exits + " "));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8})
    void shouldShootDownTheTlbOfEveryCpuTwicePerConversion(final int cpus) {
        final Kernel k = boot(machine(EncryptionMode.SME).cpus(cpus));

        k.directMap().setMemoryDecrypted(PMD_PFN, 3);

        assertThat(k.machine().ledger().get(Counter.TLB_SHOOTDOWNS)).isEqualTo(2L * cpus);
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.TLB_FLUSH).hasSize(2)
                .allSatisfy(e -> assertThat(e.detail()).isEqualTo("cpa_flush on " + cpus + " cpus"));
    }

    @Test
    void shouldPurgeLazilyFreedKernelMapsBeforeConvertingWhenVmUnmapAliasesRunsFirst() {
        final Kernel k = boot(machine(EncryptionMode.SEV).cpus(CPUS));
        final long va = k.vmalloc().vmap(new long[] {PMD_PFN}, 1, Pgprot.pageKernel(k.machine().cc()));
        k.cpuAccess().access(k.initMm(), va, new byte[8], 0, 8, false, null);
        k.vmalloc().vunmap(va, 1);
        assertThat(k.machine().tlb().lookup(k.initMm().cpu(), 0, va >>> Pte.PAGE_SHIFT)).as("lingering").isNotZero();

        k.directMap().setMemoryDecrypted(PMD_PFN, 1);

        assertThat(k.machine().tlb().lookup(k.initMm().cpu(), 0, va >>> Pte.PAGE_SHIFT))
                .as("no C=1 alias survives the conversion").isZero();
        assertThat(k.machine().ledger().get(Counter.TLB_SHOOTDOWNS)).as("the purge, then two cpa_flush rounds")
                .isEqualTo(3L * CPUS);
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.TLB_FLUSH).first()
                .satisfies(e -> assertThat(e.detail()).startsWith("vm_unmap_aliases()"));
    }

    /** mode, extra per-page validation charged going shared, going private. */
    static Stream<Arguments> sequenceCosts() {
        return Stream.of(Arguments.of(EncryptionMode.SME, false, false),
                Arguments.of(EncryptionMode.SEV, false, false),
                Arguments.of(EncryptionMode.SEV_SNP, true, true),
                Arguments.of(EncryptionMode.TDX, false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequenceCosts")
    void shouldChargeEachStepOfTheSequenceWhenConverting(final EncryptionMode mode, final boolean validateToShared,
            final boolean validateToPrivate) {
        final Kernel k = boot(machine(mode).cpus(CPUS));
        final Machine m = k.machine();
        final CostParams c = m.costs();
        final int n = 4;
        // 4 pages inside a split 2 MiB mapping: SEV and SNP tell KVM once per page, SNP adds one PSC, TDX
        // one MapGPA.
        final long vmm = switch (mode) {
            case SEV -> n * c.hypercallNs(EncryptionMode.SEV);
            case SEV_SNP -> n * c.hypercallNs(EncryptionMode.SEV) + c.hypercallNs(EncryptionMode.SEV_SNP);
            case TDX -> c.hypercallNs(EncryptionMode.TDX);
            default -> 0;
        };
        final long common = n * c.cacheFlushPerPageNs() + vmm + 2 * CPUS * c.tlbShootdownPerCpuNs()
                + n * c.cpaPerPageNs();

        k.directMap().setMemoryDecrypted(PMD_PFN + 3, n);
        final long toShared = m.ledger().simulatedNs();
        k.directMap().setMemoryEncrypted(PMD_PFN + 3, n);
        final long toPrivate = m.ledger().simulatedNs() - toShared;

        assertThat(toShared).isEqualTo(common + c.largePageSplitNs()
                + (validateToShared ? n * c.pvalidatePerPageNs() : 0));
        assertThat(toPrivate).isEqualTo(common + (validateToPrivate ? n * c.pvalidatePerPageNs() : 0));
        assertThat(m.ledger().get(Counter.PAGES_DECRYPTED)).isEqualTo(n);
        assertThat(m.ledger().get(Counter.PAGES_ENCRYPTED)).isEqualTo(n);
    }

    @Test
    void shouldChargeTheLargePageSplitOnceWhenConversionsShareA2MiBMapping() {
        final Kernel k = boot(machine(EncryptionMode.SME).smeCoherent(true).cpus(1));
        final CostParams c = k.machine().costs();
        final long noSplit = 2 * c.tlbShootdownPerCpuNs() + 2 * c.cpaPerPageNs();

        k.directMap().setMemoryDecrypted(PMD_PFN + 3, 2);
        final long first = k.machine().ledger().simulatedNs();
        k.directMap().setMemoryDecrypted(PMD_PFN + 100, 2);
        final long second = k.machine().ledger().simulatedNs() - first;
        k.directMap().setMemoryEncrypted(PMD_PFN + 3, 2);
        final long third = k.machine().ledger().simulatedNs() - first - second;

        assertThat(first).isEqualTo(noSplit + c.largePageSplitNs());
        assertThat(second).isEqualTo(noSplit);
        assertThat(third).isEqualTo(noSplit);
    }

    @Test
    void shouldSplitEveryTouched2MiBMappingWhenARangeCrossesABoundary() {
        final Kernel k = boot(machine(EncryptionMode.SME).smeCoherent(true).cpus(1));
        final CostParams c = k.machine().costs();

        k.directMap().setMemoryDecrypted(PMD_PFN + 510, 4);

        assertThat(k.machine().ledger().simulatedNs())
                .isEqualTo(2 * c.tlbShootdownPerCpuNs() + 4 * c.cpaPerPageNs() + 2 * c.largePageSplitNs());
    }

    @Test
    void shouldKeepThe2MiBMappingWhenAConversionCoversItWhole() {
        // __should_split_large_page(): a request that starts at the large page and covers all of it
        // changes the PMD in place ("All checks passed. Update the large page mapping.").
        final Kernel k = boot(machine(EncryptionMode.SME).smeCoherent(true).cpus(1));
        final CostParams c = k.machine().costs();

        k.directMap().setMemoryDecrypted(PMD_PFN, 512);
        final long whole = k.machine().ledger().simulatedNs();
        k.directMap().setMemoryEncrypted(PMD_PFN + 7, 1);
        final long part = k.machine().ledger().simulatedNs() - whole;

        assertThat(whole).isEqualTo(2 * c.tlbShootdownPerCpuNs() + 512 * c.cpaPerPageNs());
        assertThat(part).isEqualTo(2 * c.tlbShootdownPerCpuNs() + c.cpaPerPageNs() + c.largePageSplitNs());
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV", "SEV_SNP", "TDX"})
    void shouldFlipFrameStatesAndTheDirectMapWhenConvertingInAGuest(final EncryptionMode mode) {
        final Kernel k = boot(machine(mode));
        final Machine m = k.machine();

        k.directMap().setMemoryDecrypted(PMD_PFN, 2);

        assertThat(m.frameStates().isShared(PMD_PFN)).isTrue();
        assertThat(m.frameStates().isShared(PMD_PFN + 1)).isTrue();
        assertThat(m.frameStates().isPrivate(PMD_PFN + 2)).isTrue();
        assertThat(m.cc().keyOf(k.directMap().pte(PMD_PFN))).isEqualTo(KeyId.NONE);
        assertThat(k.directMap().isDecrypted(PMD_PFN)).isTrue();

        k.directMap().setMemoryEncrypted(PMD_PFN, 2);

        assertThat(m.frameStates().isPrivate(PMD_PFN)).isTrue();
        assertThat(m.cc().keyOf(k.directMap().pte(PMD_PFN))).isEqualTo(KeyId.GUEST);
        assertThat(k.directMap().isDecrypted(PMD_PFN)).isFalse();
    }

    /** amd_enc_status_change_finish(): "Return true unconditionally: return value doesn't matter for the SEV side". */
    @Test
    void shouldIgnoreARefusedHypercallAndCompleteTheConversionUnderSev() {
        final Kernel k = boot(machine(EncryptionMode.SEV).inject(Injection.CONVERSION_FAILS));
        final Machine m = k.machine();

        assertThat(k.directMap().setMemoryDecrypted(PMD_PFN, 3)).isEqualTo(Errno.OK);

        assertThat(m.frameStates().isShared(PMD_PFN)).isTrue();
        assertThat(k.directMap().isDecrypted(PMD_PFN)).isTrue();
        assertThat(m.frameStates().isQuarantined(PMD_PFN)).isFalse();
        assertThat(m.ledger().get(Counter.PAGES_DECRYPTED)).isEqualTo(3);
        assertThat(m.bus().log()).anySatisfy(e -> assertThat(e.detail()).contains("the result is ignored"));
    }

    /** __set_pages_state(): a failed page-state change is sev_es_terminate(SEV_TERM_SET_LINUX, GHCB_TERM_PSC). */
    @Test
    void shouldTerminateTheGuestWhenSnpRefusesThePageStateChange() {
        final Kernel k = boot(machine(EncryptionMode.SEV_SNP).inject(Injection.CONVERSION_FAILS));

        assertThatThrownBy(() -> k.directMap().setMemoryDecrypted(PMD_PFN, 3)).isInstanceOf(GuestTerminated.class)
                .hasMessageContaining("GHCB_TERM_PSC");

        assertThat(k.machine().bus().log()).anyMatch(e -> e.kind() == EventKind.GUEST_FATAL);
        assertThat(k.machine().frameStates().isPrivate(PMD_PFN)).isTrue();
    }

    /** tdx_enc_status_change_finish() fails: -EIO after the PTEs were rewritten; the VMM left the frames private. */
    @Test
    void shouldReturnEioWithThePtesRewrittenWhenTdxRefusesTheConversion() {
        final Kernel k = boot(machine(EncryptionMode.TDX).inject(Injection.CONVERSION_FAILS));
        final Machine m = k.machine();

        assertThat(k.directMap().setMemoryDecrypted(PMD_PFN, 3)).isEqualTo(Errno.EIO);

        for (long p = PMD_PFN; p < PMD_PFN + 3; p++) {
            assertThat(m.frameStates().isQuarantined(p)).isTrue();
            assertThat(m.frameStates().isPrivate(p)).as("the VMM did not convert").isTrue();
            assertThat(k.directMap().isDecrypted(p)).as("the PTEs were rewritten before finish").isTrue();
        }
        assertThat(m.frameStates().isQuarantined(PMD_PFN + 3)).isFalse();
        assertThat(m.ledger().get(Counter.PAGES_DECRYPTED)).isZero();
        assertThat(m.bus().log()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.CONVERSION);
            assertThat(e.detail()).contains("CPA VMM failure to convert memory").contains("-EIO");
        });
        assertThat(m.bus().log()).anyMatch(e -> e.kind() == EventKind.INJECT
                && e.detail().startsWith("conversion-fails"));
    }

    @Test
    void shouldNotFailOnTheHostWhenConversionFailsIsInjected() {
        final Kernel k = boot(machine(EncryptionMode.SME).inject(Injection.CONVERSION_FAILS));

        assertThat(k.directMap().setMemoryDecrypted(PMD_PFN, 1)).isEqualTo(Errno.OK);
        assertThat(k.machine().frameStates().isQuarantined(PMD_PFN)).isFalse();
    }

    @Test
    void shouldDoNothingWhenThereIsNoMemoryEncryption() {
        final Kernel k = boot(machine(EncryptionMode.NONE));

        assertThat(k.directMap().setMemoryDecrypted(PMD_PFN, 4)).isEqualTo(Errno.OK);
        assertThat(k.directMap().setMemoryEncrypted(PMD_PFN, 4)).isEqualTo(Errno.OK);

        assertThat(k.machine().ledger().simulatedNs()).isZero();
        assertThat(k.machine().ledger().get(Counter.PAGES_DECRYPTED)).isZero();
        assertThat(k.machine().bus().log()).isEmpty();
        assertThat(k.directMap().isDecrypted(PMD_PFN)).isFalse();
    }

    @Test
    void shouldConvertWithoutChargeOrTraceWhenDecryptingAtBoot() {
        final Kernel k = boot(machine(EncryptionMode.SEV_SNP));
        final Machine m = k.machine();
        final long swiotlbPfn = k.swiotlb().basePa() >>> 12;

        assertThat(k.directMap().isDecrypted(swiotlbPfn)).isTrue();
        assertThat(m.frameStates().isShared(swiotlbPfn)).isTrue();
        assertThat(m.frameStates().isShared(swiotlbPfn + (k.swiotlb().bytes() >>> 12) - 1)).isTrue();
        assertThat(m.frameStates().isPrivate(swiotlbPfn + (k.swiotlb().bytes() >>> 12))).isTrue();
        assertThat(m.ledger().simulatedNs()).isZero();
        assertThat(m.bus().log()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SME", "SEV", "SEV_SNP", "TDX"})
    void shouldUseTheNewAttributeOnTheNextKernelAccessWhenTheTlbWasShotDown(final EncryptionMode mode) {
        final Kernel k = boot(machine(mode));
        final long va = DirectMap.va(PMD_PFN << 12);
        assertThat(k.cpuAccess().access(k.initMm(), va, new byte[8], 0, 8, false, null)).isEqualTo(Errno.OK);
        assertThat(k.machine().tlb().anyCpuHolds(0, va >>> 12)).isTrue();

        k.directMap().setMemoryDecrypted(PMD_PFN, 1);

        assertThat(k.machine().tlb().anyCpuHolds(0, va >>> 12)).isFalse();
        final KeyId[] used = new KeyId[1];
        k.cpuAccess().access(k.initMm(), va, new byte[8], 0, 8, false, (v, pte, key, off, len) -> used[0] = key);
        assertThat(used[0]).isEqualTo(KeyId.NONE);
    }

    @Test
    void shouldKeepUsingTheStaleEncryptedTranslationWhenTheCpaFlushIsSkipped() {
        final Kernel k = boot(machine(EncryptionMode.SEV).inject(Injection.SKIP_TLB_FLUSH));
        final long va = DirectMap.va(PMD_PFN << 12);
        k.cpuAccess().access(k.initMm(), va, new byte[8], 0, 8, false, null);

        k.directMap().setMemoryDecrypted(PMD_PFN, 1);

        final KeyId[] used = new KeyId[1];
        k.cpuAccess().access(k.initMm(), va, new byte[8], 0, 8, false, (v, pte, key, off, len) -> used[0] = key);
        assertThat(used[0]).isEqualTo(KeyId.GUEST);
        assertThat(k.machine().ledger().get(Counter.TLB_SHOOTDOWNS)).isZero();
        assertThat(k.machine().bus().log()).anyMatch(e -> e.kind() == EventKind.INJECT
                && e.detail().startsWith("skip-tlb-flush at cpa_flush"));
    }

    @Test
    void shouldNotConvertContentsInPlaceWhenTheAttributeChanges() {
        final Kernel k = boot(machine(EncryptionMode.SEV));
        final long va = DirectMap.va(PMD_PFN << 12);
        final byte[] secret = pattern(64, 9);
        k.cpuAccess().access(k.initMm(), va, secret, 0, secret.length, true, null);

        k.directMap().setMemoryDecrypted(PMD_PFN, 1);

        final byte[] seen = new byte[64];
        k.cpuAccess().access(k.initMm(), va, seen, 0, seen.length, false, null);
        final byte[] host = new byte[64];
        k.machine().hostRead(PMD_PFN << 12, host, 0, 64);
        assertThat(seen).isNotEqualTo(secret).isEqualTo(host);
    }

    @Test
    void shouldPlaceTheLinearMapAtPageOffsetWhenTranslatingPhysicalAddresses() {
        assertThat(DirectMap.va(0)).isEqualTo(DirectMap.PAGE_OFFSET);
        assertThat(DirectMap.va(0x1234_5000L)).isEqualTo(0xffff_8880_1234_5000L);
        assertThat(DirectMap.isLinear(DirectMap.va(0x1000))).isTrue();
        assertThat(DirectMap.isLinear(Vmalloc.VMALLOC_START)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 0x1000L, 0x7f00_0000_0000L, 0x7fff_ffff_f000L, 0xffff_8000_0000_0000L})
    void shouldNotTreatAnAddressBelowPageOffsetAsLinear(final long va) {
        assertThat(DirectMap.isLinear(va)).isFalse();
    }
}
