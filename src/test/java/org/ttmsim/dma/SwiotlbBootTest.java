package org.ttmsim.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.machine;

import org.junit.jupiter.api.Test;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.GuestTerminated;
import org.ttmsim.hw.Machine;
import org.ttmsim.release.KernelRelease;

/**
 * Tests {@link SwiotlbBoot}: the default pool's size per mode and release, rounding to whole segments,
 * allocation from low memory, and what each release does when it does not fit (issue #13, field case c3).
 */
class SwiotlbBootTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private static KernelRelease v(final String id) {
        return KernelRelease.parse(id);
    }

    @Test
    void shouldSizeAGuestsPoolAtSixPercentOfRamFromV511Only() {
        final long ram = 8 * GIB;

        assertThat(SwiotlbBoot.defaultBytes(EncryptionMode.SEV, v("v5.10"), ram)).isEqualTo(64 * MIB);
        assertThat(SwiotlbBoot.defaultBytes(EncryptionMode.SEV, v("v5.11"), ram)).isEqualTo(ram * 6 / 100);
        assertThat(SwiotlbBoot.defaultBytes(EncryptionMode.TDX, v("v6.9"), 64 * GIB)).isEqualTo(GIB);
        assertThat(SwiotlbBoot.defaultBytes(EncryptionMode.SEV, v("v6.9"), 512 * MIB)).isEqualTo(64 * MIB);
        assertThat(SwiotlbBoot.defaultBytes(EncryptionMode.SME, v("v6.9"), ram)).as("hosts keep 64 MiB")
                .isEqualTo(64 * MIB);
    }

    @Test
    void shouldWantNoPoolOnAPlainMachineWhoseRamEndsBelow4GiB() {
        final SwiotlbBoot small = SwiotlbBoot.boot(EncryptionMode.NONE, v("v6.9"), 2 * GIB, -1, GIB);
        final SwiotlbBoot big = SwiotlbBoot.boot(EncryptionMode.NONE, v("v6.9"), 8 * GIB, -1, GIB);

        assertThat(small.bytes()).isZero();
        assertThat(small.outcome()).contains("pci_swiotlb_detect");
        assertThat(big.bytes()).isEqualTo(64 * MIB);
    }

    @Test
    void shouldRoundTheRequestUpToWhole128SlotSegments() {
        final SwiotlbBoot b = SwiotlbBoot.boot(EncryptionMode.SEV, v("v6.9"), GIB, 100 * 1024 + 1, GIB);

        assertThat(b.requestedBytes()).isEqualTo(256 * 1024);
        assertThat(b.bytes()).isEqualTo(256 * 1024);
    }

    /** 8d58aa484920's report: a 16819 MiB SEV guest asks for just under 1 GiB of a smaller low block. */
    @Test
    void shouldBootWithoutAPoolBeforeV62AndHalveFromV62WhenLowMemoryIsShort() {
        final long ram = 16819 * MIB;
        final long low = 1000 * MIB;

        final SwiotlbBoot v61 = SwiotlbBoot.boot(EncryptionMode.SEV, v("v6.1"), ram, -1, low);
        final SwiotlbBoot v62 = SwiotlbBoot.boot(EncryptionMode.SEV, v("v6.2"), ram, -1, low);

        assertThat(v61.requestedBytes()).isEqualTo(516736L * 2048).isGreaterThan(low);
        assertThat(v61.bytes()).isZero();
        assertThat(v61.outcome()).contains("booting without a bounce pool");
        assertThat(v62.bytes()).isEqualTo(258432L * 2048);
        assertThat(v62.outcome()).contains("adjusted 516736 -> 258432 slabs");
    }

    @Test
    void shouldPanicAtTheFirstBounceWithoutAPoolBeforeV61AndFailTheMappingFrom() {
        final org.ttmsim.hw.MachineConfig c = machine(EncryptionMode.SEV).swiotlb(512 * MIB).lowMemory(256 * MIB)
                .config();
        final Kernel v60 = new Kernel(new Machine(c, false), v("v6.0"));
        final Kernel v61 = new Kernel(new Machine(c, false), v("v6.1"));
        final DmaDevice dev = new DmaDevice("d", 64, false);
        final long pa = v60.pageAllocator().allocPages(0) << 12;

        assertThat(v60.swiotlb().bytes()).isZero();
        assertThatThrownBy(() -> v60.dma().mapPage(dev, pa, 4096, DmaDirection.TO_DEVICE))
                .isInstanceOf(GuestTerminated.class).hasMessageContaining("Can not allocate SWIOTLB buffer earlier");
        assertThat(v61.dma().mapPage(dev, pa, 4096, DmaDirection.TO_DEVICE)).isEqualTo(DmaDirect.DMA_MAPPING_ERROR);
    }
}
