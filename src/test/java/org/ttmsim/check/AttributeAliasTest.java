package org.ttmsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CcPlatform;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.MmStruct;

/**
 * Tests {@link AttributeAlias} on hand-made translations: which frames it reports, with which sources
 * in which order, and that an alias is reported when it appears, not at every step.
 */
class AttributeAliasTest {
    private static final long USER_VPN = 0x7f00_0000_0L;

    /** A booted SEV guest, one user process and the monitor, judged step by step. */
    private static final class Run {
        final Machine machine = TestMachines.machine(EncryptionMode.SEV).keepLog(false).build();
        final Kernel kernel = new Kernel(machine);
        final CcPlatform cc = machine.cc();
        final MmStruct mm = kernel.newProcess("app");
        final AttributeAlias monitor = new AttributeAlias(kernel, view());

        Run() {
            machine.bus().subscribe(monitor);
            machine.bus().setStep(1);
        }
        int step;

        List<Violation> step() {
            final List<Violation> out = new ArrayList<>();
            monitor.afterStep(++step, view(), out);
            machine.bus().setStep(step + 1);
            return out;
        }

        long pte(final long pfn, final boolean encrypted, final Caching caching) {
            final long flags = Pte.PRESENT | Pte.RW | Pte.USER | Pte.cachingBits(caching);
            return encrypted ? cc.mkEnc(Pte.make(pfn, flags)) : cc.mkDec(Pte.make(pfn, flags));
        }

        long frame() {
            return kernel.pageAllocator().allocPages(0);
        }

        SystemView view() {
            return new SystemView() {
                @Override
                public Kernel kernel() {
                    return kernel;
                }

                @Override
                public List<MmStruct> processes() {
                    return List.of(mm);
                }

                @Override
                public long backingPfn(final Object bo, final long objPage) {
                    return -1;
                }

                @Override
                public long pgoffBase(final Object bo) {
                    return 0;
                }

                @Override
                public String name(final Object bo) {
                    return "bo";
                }

                @Override
                public org.ttmsim.ttm.TtmDevice device() {
                    return null;
                }

                @Override
                public java.util.Map<String, org.ttmsim.ttm.TtmBufferObject> liveBuffers() {
                    return java.util.Map.of();
                }
            };
        }
    }

    @Test
    void shouldReportNothingWhenEveryTranslationAgreesWithTheDirectMap() {
        final Run r = new Run();
        final long pfn = r.frame();
        r.mm.setPte(USER_VPN, r.pte(pfn, true, Caching.CACHED));
        r.mm.setPte(USER_VPN + 1, r.pte(pfn, true, Caching.CACHED));

        assertThat(r.step()).isEmpty();
    }

    @Test
    void shouldNameTheUserTranslationAndTheDirectMapWhenAUserPteIsDecrypted() {
        final Run r = new Run();
        final long pfn = r.frame();
        r.mm.setPte(USER_VPN, r.pte(pfn, false, Caching.CACHED));

        final List<Violation> found = r.step();

        assertThat(found).hasSize(1);
        assertThat(found.get(0).evidence()).containsExactly(String.format(
                "pfn 0x%x has private and shared translations: app va=0x%x C=0(shared) cached; direct map C=1(private)",
                pfn, USER_VPN << 12));
    }

    @Test
    void shouldReportAnAliasOnceUntilItGoesAndComesBack() {
        final Run r = new Run();
        final long pfn = r.frame();
        r.mm.setPte(USER_VPN, r.pte(pfn, false, Caching.CACHED));

        assertThat(r.step()).hasSize(1);
        assertThat(r.step()).isEmpty();
        r.mm.clearPte(USER_VPN);
        assertThat(r.step()).isEmpty();
        r.mm.setPte(USER_VPN, r.pte(pfn, false, Caching.CACHED));
        assertThat(r.step()).hasSize(1);
    }

    @Test
    void shouldListFramesInPfnOrderWithTheirFirstFourSourcesInWalkOrder() {
        final Run r = new Run();
        final long low = r.frame();
        final long high = r.frame();
        // The higher frame is mapped first, and by six PTEs: only four are named, user PTEs by va.
        for (int i = 0; i < 6; i++) {
            r.mm.setPte(USER_VPN + 16 + i, r.pte(high, true, i % 2 == 0 ? Caching.CACHED : Caching.WRITE_COMBINED));
        }
        r.mm.setPte(USER_VPN, r.pte(low, true, Caching.UNCACHED));
        r.mm.setPte(USER_VPN + 1, r.pte(low, true, Caching.CACHED));

        final List<String> evidence = r.step().get(0).evidence();

        assertThat(high).isGreaterThan(low);
        assertThat(evidence).hasSize(2);
        assertThat(evidence.get(0)).startsWith(String.format("pfn 0x%x has conflicting caching types: ", low))
                .contains("app va=0x" + Long.toHexString(USER_VPN << 12) + " C=1(private) uncached; ");
        assertThat(evidence.get(1)).startsWith(String.format("pfn 0x%x has conflicting caching types: ", high))
                .contains(Long.toHexString((USER_VPN + 19) << 12))
                .doesNotContain(Long.toHexString((USER_VPN + 20) << 12))
                .endsWith("; direct map C=1(private)");
    }

    @Test
    void shouldCountATlbEntryThatOutlivedItsPte() {
        final Run r = new Run();
        final long pfn = r.frame();
        r.machine.tlb().fill(2, r.mm.asid(), USER_VPN, r.pte(pfn, false, Caching.CACHED)); // no PTE behind it

        final List<Violation> found = r.step();

        assertThat(found).hasSize(1);
        assertThat(found.get(0).evidence().get(0)).contains("TLB cpu 2 C=0(shared) cached");
    }

    // ---------------------------------------------------------------- judged when it happens

    private static long vmap(final Run r, final long pfn, final boolean encrypted, final Caching caching) {
        final long prot = Pte.RW | Pte.cachingBits(caching);
        return r.kernel.vmalloc().vmap(new long[] {pfn}, 1, encrypted ? r.cc.mkEnc(prot) : r.cc.mkDec(prot));
    }

    @Test
    void shouldReportAKernelMapWhenItIsMadeEvenIfItIsGoneByTheEndOfTheStep() {
        final Run r = new Run();
        final long pfn = r.frame();
        r.kernel.directMap().setMemoryDecrypted(pfn, 1);
        final long va = vmap(r, pfn, true, Caching.CACHED); // PAGE_KERNEL: C=1 over a C=0 direct map
        r.kernel.vmalloc().vunmap(va, 1);
        r.kernel.vmalloc().vmUnmapAliases();

        final List<Violation> found = r.step();

        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.step()).isEqualTo(1);
            assertThat(v.evidence()).singleElement().isEqualTo(String.format("pfn 0x%x has private and shared"
                    + " translations: vmap va=0x%x C=1(private) cached; direct map C=0(shared) (at kmap, step 1)",
                    pfn, va));
        });
        assertThat(r.step()).as("gone: nothing more to report").isEmpty();
    }

    @Test
    void shouldReportItOnceWhenTheKernelMapOutlivesTheStep() {
        final Run r = new Run();
        final long pfn = r.frame();
        r.kernel.directMap().setMemoryDecrypted(pfn, 1);
        final long va = vmap(r, pfn, true, Caching.CACHED);
        r.kernel.cpuAccess().access(r.kernel.initMm(), va, new byte[4], 0, 4, false, null); // a TLB fill
        r.kernel.vmalloc().vunmap(va, 1); // lazy: the TLB entry lingers

        assertThat(r.step()).singleElement().satisfies(v -> assertThat(v.message()).startsWith("1 aliased frame(s)"));
        assertThat(r.step()).as("the lingering alias is the same alias").isEmpty();
        r.kernel.vmalloc().vmUnmapAliases();
        assertThat(r.step()).isEmpty();
    }

    @Test
    void shouldReportAConversionUnderALiveTranslationWhenItHappens() {
        final Run r = new Run();
        final long pfn = r.frame();
        final long va = vmap(r, pfn, true, Caching.CACHED); // C=1 over C=1: fine
        assertThat(r.step()).isEmpty();

        r.kernel.directMap().setMemoryDecrypted(pfn, 1); // the vmap PTE is live: it aliases the new C=0
        r.kernel.vmalloc().vunmap(va, 1);
        r.kernel.vmalloc().vmUnmapAliases();

        assertThat(r.step()).singleElement().satisfies(v -> assertThat(v.evidence().get(0))
                .endsWith("direct map C=0(shared) (at conversion, step 2)"));
    }

    @Test
    void shouldNotReportATranslationThatWasRemovedBeforeTheConflictingOneWasMade() {
        final Run r = new Run();
        final long pfn = r.frame();
        final long wc = vmap(r, pfn, true, Caching.WRITE_COMBINED);
        assertThat(r.step()).isEmpty();

        r.kernel.vmalloc().vunmap(wc, 1);
        final long wb = vmap(r, pfn, true, Caching.CACHED); // the WC one is gone: no conflict

        assertThat(r.step()).isEmpty();
        r.kernel.vmalloc().vunmap(wb, 1);
    }

    @Test
    void shouldReportAUserPteWhenItIsInsertedOverAnotherCachingType() {
        final Run r = new Run();
        final long pfn = r.frame();
        vmap(r, pfn, true, Caching.WRITE_COMBINED);
        final org.ttmsim.mm.Vma vma = new org.ttmsim.mm.Vma(r.mm, USER_VPN << 12, (USER_VPN + 1) << 12, 0,
                org.ttmsim.mm.VmFlags.VM_READ, 0, null, null, "a");
        r.mm.insertVma(vma);

        r.kernel.memory().vmfInsertPfnProt(vma, USER_VPN << 12, pfn, r.pte(0, true, Caching.CACHED));

        assertThat(r.step()).singleElement().satisfies(v -> assertThat(v.evidence().get(0))
                .startsWith(String.format("pfn 0x%x has conflicting caching types", pfn))
                .endsWith("(at pte-insert, step 1)"));
    }
}
