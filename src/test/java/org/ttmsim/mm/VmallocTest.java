package org.ttmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.hw.TestMachines.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;

/**
 * Tests {@link Vmalloc}: vmap PTEs in {@code init_mm}, the lazy vunmap that leaves the area's TLB
 * entries behind (free_unmap_vmap_area: vunmap_range_noflush + free_vmap_area_noflush), and the purge
 * (one flush_tlb_kernel_range of the union) at vm_unmap_aliases() or above lazy_max_pages().
 */
class VmallocTest {
    private static final long PFN = 0x10000;
    private static final int CPUS = 4;

    private static Kernel boot() {
        return new Kernel(machine(EncryptionMode.SEV).cpus(CPUS).build());
    }

    /** Maps {@code pages} frames from {@link #PFN} with PAGE_KERNEL and touches every page (TLB fills). */
    private static long mapAndTouch(final Kernel k, final int pages) {
        final long[] pfns = new long[pages];
        for (int i = 0; i < pages; i++) {
            pfns[i] = PFN + i;
        }
        final long va = k.vmalloc().vmap(pfns, pages, Pgprot.pageKernel(k.machine().cc()));
        for (int i = 0; i < pages; i++) {
            assertThat(k.cpuAccess().access(k.initMm(), va + ((long) i << Pte.PAGE_SHIFT), new byte[8], 0, 8, false,
                    null)).isEqualTo(Errno.OK);
        }
        return va;
    }

    private static long tlb(final Kernel k, final long va) {
        return k.machine().tlb().lookup(k.initMm().cpu(), 0, va >>> Pte.PAGE_SHIFT);
    }

    @Test
    void shouldKeepTheTlbEntriesOfAnAreaWhenItIsUnmapped() {
        final Kernel k = boot();
        final long va = mapAndTouch(k, 2);

        k.vmalloc().vunmap(va, 2);

        assertThat(k.initMm().pte(va >>> Pte.PAGE_SHIFT)).as("the PTE is cleared").isZero();
        assertThat(Pte.pfn(tlb(k, va + Pte.PAGE_SIZE), 47)).as("the TLB entry lingers").isEqualTo(PFN + 1);
        assertThat(k.machine().ledger().get(Counter.TLB_SHOOTDOWNS)).as("no flush at vunmap").isZero();
        assertThat(k.vmalloc().lazyPages()).as("two pages and the guard page").isEqualTo(3);
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.VUNMAP).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("no TLB flush"));
    }

    @Test
    void shouldFlushEveryQueuedAreaInOneRoundWhenVmUnmapAliasesRuns() {
        final Kernel k = boot();
        final long a = mapAndTouch(k, 2);
        k.vmalloc().vunmap(a, 2);
        final long b = mapAndTouch(k, 1);
        k.vmalloc().vunmap(b, 1);

        k.vmalloc().vmUnmapAliases();

        assertThat(tlb(k, a)).isZero();
        assertThat(tlb(k, b)).isZero();
        assertThat(k.machine().ledger().get(Counter.TLB_SHOOTDOWNS)).as("one round on every CPU").isEqualTo(CPUS);
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.TLB_FLUSH).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("vm_unmap_aliases(): purge of 2 lazily freed"));
        assertThat(k.vmalloc().lazyPages()).isZero();
    }

    @Test
    void shouldFlushNothingWhenVmUnmapAliasesFindsNoFreedArea() {
        final Kernel k = boot();
        final long live = mapAndTouch(k, 1);

        k.vmalloc().vmUnmapAliases();

        assertThat(k.machine().ledger().get(Counter.TLB_SHOOTDOWNS)).isZero();
        assertThat(tlb(k, live)).as("a live map keeps its entry").isNotZero();
    }

    @ParameterizedTest
    @CsvSource({"1, 8192", "2, 16384", "4, 24576", "8, 32768"})
    void shouldScaleTheLazyThresholdByLog2OfTheCpusWhenComputingLazyMaxPages(final int cpus, final long pages) {
        final Kernel k = new Kernel(machine(EncryptionMode.NONE).cpus(cpus).build());

        assertThat(k.vmalloc().lazyMaxPages()).isEqualTo(pages);
    }

    @Test
    void shouldPurgeAtOnceWhenTheLazilyFreedPagesExceedTheThreshold() {
        final Kernel k = boot();
        final Machine m = k.machine();
        final long max = k.vmalloc().lazyMaxPages();
        final long[] pfns = new long[(int) max];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = PFN + i;
        }
        final long big = k.vmalloc().vmap(pfns, pfns.length - 1, Pgprot.pageKernel(m.cc()));
        k.vmalloc().vunmap(big, pfns.length - 1);
        assertThat(k.vmalloc().lazyPages()).as("exactly at the threshold: not above it").isEqualTo(max);
        assertThat(m.ledger().get(Counter.TLB_SHOOTDOWNS)).isZero();
        final long one = mapAndTouch(k, 1);

        k.vmalloc().vunmap(one, 1);

        assertThat(k.vmalloc().lazyPages()).isZero();
        assertThat(tlb(k, one)).isZero();
        assertThat(m.ledger().get(Counter.TLB_SHOOTDOWNS)).isEqualTo(CPUS);
        assertThat(m.bus().log()).filteredOn(e -> e.kind() == EventKind.TLB_FLUSH).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("lazy_max_pages() exceeded"));
    }
}
