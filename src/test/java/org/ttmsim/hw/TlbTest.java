package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.mm.DirectMap;

/**
 * Tests {@link Tlb}: per-CPU translations that outlive their PTE until flushed. The end-to-end stale
 * use by a CPU access after a zap with {@code skip-tlb-flush} is in {@code org.ttmsim.mm.CpuAccessTest}.
 */
class TlbTest {
    private static final long PTE_A = Pte.make(0x100, Pte.PRESENT | Pte.RW);
    private static final long PTE_B = Pte.make(0x200, Pte.PRESENT);

    @Test
    void shouldMissWhenNothingWasFilled() {
        final Tlb tlb = new Tlb(2);

        assertThat(tlb.lookup(0, 1, 0x7f00_0000_0L)).isZero();
        assertThat(tlb.anyCpuHolds(1, 0x7f00_0000_0L)).isFalse();
    }

    @Test
    void shouldKeepTheOldTranslationUntilFlushedWhenThePageTableChanges() {
        final Tlb tlb = new Tlb(2);
        tlb.fill(1, 3, 0x10, PTE_A);

        // The page table is rewritten elsewhere; nothing told the TLB.
        assertThat(tlb.lookup(1, 3, 0x10)).isEqualTo(PTE_A);

        tlb.flushPage(3, 0x10);
        assertThat(tlb.lookup(1, 3, 0x10)).isZero();
    }

    @Test
    void shouldKeepEntriesPerCpuWhenOnlyOneCpuFilled() {
        final Tlb tlb = new Tlb(4);
        tlb.fill(2, 1, 0x20, PTE_A);

        assertThat(tlb.lookup(0, 1, 0x20)).isZero();
        assertThat(tlb.lookup(2, 1, 0x20)).isEqualTo(PTE_A);
        assertThat(tlb.anyCpuHolds(1, 0x20)).isTrue();
    }

    @Test
    void shouldDropThePageOnEveryCpuWhenFlushingAPage() {
        final Tlb tlb = new Tlb(3);
        for (int cpu = 0; cpu < 3; cpu++) {
            tlb.fill(cpu, 1, 0x30, PTE_A);
        }
        tlb.fill(0, 1, 0x31, PTE_B);

        tlb.flushPage(1, 0x30);

        assertThat(tlb.anyCpuHolds(1, 0x30)).isFalse();
        assertThat(tlb.lookup(0, 1, 0x31)).isEqualTo(PTE_B);
    }

    @Test
    void shouldSeparateAddressSpacesWhenTheyUseTheSameVirtualPage() {
        final Tlb tlb = new Tlb(1);
        tlb.fill(0, 1, 0x40, PTE_A);
        tlb.fill(0, 2, 0x40, PTE_B);

        tlb.flushPage(1, 0x40);

        assertThat(tlb.lookup(0, 1, 0x40)).isZero();
        assertThat(tlb.lookup(0, 2, 0x40)).isEqualTo(PTE_B);
    }

    @Test
    void shouldReportEachEntryWithItsCpuAsidAndVpnWhenIterated() {
        final Tlb tlb = new Tlb(2);
        final long userVpn = 0x7f00_0000_0000L >>> 12;
        tlb.fill(1, 5, userVpn, PTE_A);

        final List<String> seen = new ArrayList<>();
        tlb.forEach((cpu, asid, vpn, pte) -> seen.add(cpu + "/" + asid + "/" + Long.toHexString(vpn) + "/" + pte));

        assertThat(seen).containsExactly("1/5/" + Long.toHexString(userVpn) + "/" + PTE_A);
    }

    @Test
    void shouldReportKernelEntriesUnderAsidZeroWhenIterated() {
        final Tlb tlb = new Tlb(1);
        final long directMapVpn = DirectMap.va(0x1234L << 12) >>> 12;
        tlb.fill(0, 0, directMapVpn, PTE_A);

        final List<String> seen = new ArrayList<>();
        tlb.forEach((cpu, asid, vpn, pte) -> seen.add(asid + "/" + Long.toHexString(vpn)));

        assertThat(seen).containsExactly("0/" + Long.toHexString(directMapVpn));
    }

    @Test
    void shouldNotConfuseAKernelEntryWithAUserEntryWhenAsidsAreMany() {
        final Tlb tlb = new Tlb(1);
        final long directMapVpn = DirectMap.va(0) >>> 12;
        tlb.fill(0, 0, directMapVpn, PTE_A);

        for (int asid = 1; asid < 300; asid++) {
            assertThat(tlb.lookup(0, asid, directMapVpn & ((1L << 36) - 1))).as("asid %d", asid).isZero();
        }
        assertThat(tlb.lookup(0, 0, directMapVpn)).isEqualTo(PTE_A);
    }

    @Test
    void shouldReportEntriesInCpuAsidVpnOrderWhateverTheFillOrder() {
        final Tlb tlb = new Tlb(2);
        tlb.fill(1, 1, 0x10, PTE_A);
        tlb.fill(0, 2, 0x5, PTE_A);
        tlb.fill(0, 1, 0x900, PTE_B);
        tlb.fill(0, 1, 0x3, PTE_B);

        final List<String> seen = new ArrayList<>();
        tlb.forEach((cpu, asid, vpn, pte) -> seen.add(cpu + "/" + asid + "/" + Long.toHexString(vpn)));

        assertThat(seen).containsExactly("0/1/3", "0/1/900", "0/2/5", "1/1/10");
    }

    @Test
    void shouldDropOnlyTheRangesKernelEntriesOnEveryCpuWhenFlushingARange() {
        final Tlb tlb = new Tlb(2);
        final long base = org.ttmsim.mm.Vmalloc.VMALLOC_START >>> Pte.PAGE_SHIFT;
        tlb.fill(0, 0, base, PTE_A);
        tlb.fill(1, 0, base + 1, PTE_A);
        tlb.fill(1, 0, base + 600, PTE_B);
        tlb.fill(1, 5, base + 1, PTE_B);

        tlb.flushRange(0, base, base + 600);

        assertThat(tlb.lookup(0, 0, base)).isZero();
        assertThat(tlb.lookup(1, 0, base + 1)).isZero();
        assertThat(tlb.lookup(1, 0, base + 600)).as("the end is exclusive").isEqualTo(PTE_B);
        assertThat(tlb.lookup(1, 5, base + 1)).as("another address space").isEqualTo(PTE_B);
    }
}
