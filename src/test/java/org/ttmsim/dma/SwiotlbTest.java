package org.ttmsim.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.machine;
import static org.ttmsim.hw.TestMachines.pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.mm.DirectMap;

/**
 * Tests {@link Swiotlb}: 2 KiB slots in 128-slot segments (256 KiB per mapping), exhaustion and
 * recovery, and bounce copies that happen only at map, unmap and sync (kernel/dma/swiotlb.c).
 */
class SwiotlbTest {
    private static final int SLOT = 2048;
    private static final int MAX = 256 * 1024;

    private static Kernel boot(final EncryptionMode mode, final long poolBytes) {
        return new Kernel(machine(mode).swiotlb(poolBytes).build());
    }

    @Test
    void shouldUse2KiBSlotsIn128SlotSegmentsWhenSized() {
        assertThat(Swiotlb.IO_TLB_SIZE).isEqualTo(SLOT);
        assertThat(Swiotlb.IO_TLB_SEGSIZE).isEqualTo(128);
        assertThat(Swiotlb.MAX_MAPPING_SIZE).isEqualTo(MAX);
    }

    @Test
    void shouldRefuseAMappingOver256KiBWhenAskedToMapIt() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final long pa = k.pageAllocator().allocPages(7) << 12;

        assertThat(k.swiotlb().map(pa, MAX + 1, DmaDirection.TO_DEVICE)).isEqualTo(-1);
        assertThat(k.dma().mapPage(new DmaDevice("d", 64, false), pa, 2 << 20, DmaDirection.TO_DEVICE))
                .isEqualTo(DmaDirect.DMA_MAPPING_ERROR);
        assertThat(k.swiotlb().usedSlots()).isZero();
        assertThat(k.machine().bus().log()).anyMatch(e -> e.kind() == EventKind.BOUNCE
                && e.detail().contains("swiotlb buffer is full (sz: 2097152 bytes)")
                && e.detail().contains("one mapping is at most 128 slots (256 KiB)"));

        assertThat(k.swiotlb().map(pa, MAX, DmaDirection.TO_DEVICE)).isNotEqualTo(-1);
        assertThat(k.swiotlb().usedSlots()).isEqualTo(128);
    }

    @Test
    void shouldTakeWholeSlotsWhenMappingOddSizes() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final long pa = k.pageAllocator().allocPages(1) << 12;

        final long a = k.swiotlb().map(pa, 1, DmaDirection.TO_DEVICE);
        final long b = k.swiotlb().map(pa, SLOT + 1, DmaDirection.TO_DEVICE);

        assertThat(b - a).isEqualTo(SLOT);
        assertThat(k.swiotlb().usedSlots()).isEqualTo(3);
        assertThat(a).isEqualTo(k.swiotlb().basePa());
    }

    @Test
    void shouldNotLetAMappingCrossASegmentBoundary() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final long pa = k.pageAllocator().allocPages(7) << 12;

        final long first = k.swiotlb().map(pa, 100 * SLOT, DmaDirection.TO_DEVICE);
        final long second = k.swiotlb().map(pa, 100 * SLOT, DmaDirection.TO_DEVICE);
        final long small = k.swiotlb().map(pa, 28 * SLOT, DmaDirection.TO_DEVICE);

        assertThat(first).isEqualTo(k.swiotlb().basePa());
        assertThat(second).isEqualTo(k.swiotlb().basePa() + 128L * SLOT);
        assertThat(small).isEqualTo(k.swiotlb().basePa() + 100L * SLOT);
    }

    @Test
    void shouldFillTheFirstFreedGapThatFitsInsideOneSegment() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final long pa = k.pageAllocator().allocPages(7) << 12;
        final long base = k.swiotlb().basePa();
        final long a = k.swiotlb().map(pa, 10 * SLOT, DmaDirection.TO_DEVICE); // slots 0..9
        final long b = k.swiotlb().map(pa, 100 * SLOT, DmaDirection.TO_DEVICE); // 10..109
        final long c = k.swiotlb().map(pa, 4 * SLOT, DmaDirection.TO_DEVICE); // 110..113
        k.swiotlb().unmap(a, DmaDirection.TO_DEVICE);
        k.swiotlb().unmap(b, DmaDirection.TO_DEVICE);

        // 105 slots fit the freed gap 0..109. 20 fit neither its rest (105..109) nor 114.. (they would
        // straddle slot 128), so they open the next segment; 14 then fit exactly 114..127.
        final long big = k.swiotlb().map(pa, 105 * SLOT, DmaDirection.TO_DEVICE);
        final long straddling = k.swiotlb().map(pa, 20 * SLOT, DmaDirection.TO_DEVICE);
        final long tail = k.swiotlb().map(pa, 14 * SLOT, DmaDirection.TO_DEVICE);

        assertThat(c).isEqualTo(base + 110L * SLOT);
        assertThat(big).isEqualTo(base);
        assertThat(straddling).isEqualTo(base + 128L * SLOT);
        assertThat(tail).isEqualTo(base + 114L * SLOT);
        assertThat(k.swiotlb().usedSlots()).isEqualTo(105 + 4 + 20 + 14);
    }

    @Test
    void shouldFailWhenThePoolIsExhaustedAndSucceedAgainAfterAnUnmap() {
        final Kernel k = boot(EncryptionMode.SEV, 1 << 20); // 512 slots = 4 segments
        final long pa = k.pageAllocator().allocPages(6) << 12;
        final List<Long> maps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            maps.add(k.swiotlb().map(pa, MAX, DmaDirection.TO_DEVICE));
        }
        assertThat(maps).doesNotContain(-1L).doesNotHaveDuplicates();

        assertThat(k.swiotlb().map(pa, MAX, DmaDirection.TO_DEVICE)).isEqualTo(-1);
        assertThat(k.swiotlb().map(pa, 1, DmaDirection.TO_DEVICE)).isEqualTo(-1);
        assertThat(k.machine().bus().log()).anyMatch(e -> e.kind() == EventKind.BOUNCE
                && e.detail().contains("swiotlb buffer is full"));

        k.swiotlb().unmap(maps.get(2), DmaDirection.TO_DEVICE);

        assertThat(k.swiotlb().map(pa, MAX, DmaDirection.TO_DEVICE)).isEqualTo(maps.get(2));
        assertThat(k.swiotlb().usedSlots()).isEqualTo(512);
    }

    @Test
    void shouldFailStreamingMapsBeyondThePoolWhileCoherentAllocationsStillWork() {
        final Kernel k = boot(EncryptionMode.SEV, 1 << 20);
        final DmaDevice dev = new DmaDevice("vmwgfx", 64, false);
        final long pa = k.pageAllocator().allocPages(6) << 12;
        for (int i = 0; i < 4; i++) {
            assertThat(k.dma().mapPage(dev, pa, MAX, DmaDirection.TO_DEVICE)).isNotEqualTo(DmaDirect.DMA_MAPPING_ERROR);
        }

        assertThat(k.dma().mapPage(dev, pa, 4096, DmaDirection.TO_DEVICE)).isEqualTo(DmaDirect.DMA_MAPPING_ERROR);
        assertThat(k.dma().allocCoherent(dev, 9)).isNotNull();
    }

    /** direction, bytes bounced at map, bytes bounced at unmap. */
    static Stream<Arguments> copiesPerDirection() {
        return Stream.of(Arguments.of(DmaDirection.TO_DEVICE, 3000, 0),
                Arguments.of(DmaDirection.FROM_DEVICE, 3000, 3000),
                Arguments.of(DmaDirection.BIDIRECTIONAL, 3000, 3000));
    }

    @ParameterizedTest(name = "{0}: map {1}, unmap {2}")
    @MethodSource("copiesPerDirection")
    void shouldCountBounceCopiesOnlyAtMapAndUnmap(final DmaDirection dir, final int atMap, final int atUnmap) {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final long pa = k.pageAllocator().allocPages(0) << 12;

        final long tlb = k.swiotlb().map(pa, 3000, dir);
        assertThat(k.machine().ledger().get(Counter.SWIOTLB_BYTES)).isEqualTo(atMap);
        new DeviceDma(k.machine()).write(tlb, pattern(3000, 1), 0, 3000);
        new DeviceDma(k.machine()).read(tlb, new byte[3000], 0, 3000);
        assertThat(k.machine().ledger().get(Counter.SWIOTLB_BYTES)).isEqualTo(atMap);
        k.swiotlb().unmap(tlb, dir);

        assertThat(k.machine().ledger().get(Counter.SWIOTLB_BYTES)).isEqualTo(atMap + atUnmap);
        assertThat(k.machine().bus().log()).filteredOn(e -> e.kind() == EventKind.BOUNCE)
                .hasSize((atMap > 0 ? 1 : 0) + (atUnmap > 0 ? 1 : 0));
    }

    @Test
    void shouldCarryDataToTheDeviceAtMapAndBackToTheCpuAtUnmapOnly() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final DeviceDma device = new DeviceDma(k.machine());
        final long pa = k.pageAllocator().allocPages(0) << 12;
        kernelWrite(k, pa, pattern(512, 2));

        final long tlb = k.swiotlb().map(pa, 512, DmaDirection.BIDIRECTIONAL);
        kernelWrite(k, pa, pattern(512, 3)); // after map: the device must not see it
        final byte[] seen = new byte[512];
        device.read(tlb, seen, 0, 512);
        assertThat(seen).isEqualTo(pattern(512, 2));

        device.write(tlb, pattern(512, 4), 0, 512);
        assertThat(kernelRead(k, pa, 512)).isEqualTo(pattern(512, 3));
        k.swiotlb().unmap(tlb, DmaDirection.BIDIRECTIONAL);

        assertThat(kernelRead(k, pa, 512)).isEqualTo(pattern(512, 4));
    }

    @Test
    void shouldKeepTheBytesTheDeviceDidNotWriteWhenAFromDeviceMappingIsUnmapped() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final DeviceDma device = new DeviceDma(k.machine());
        final long secret = k.pageAllocator().allocPages(0) << 12;
        final long buffer = k.pageAllocator().allocPages(0) << 12;
        kernelWrite(k, secret, pattern(256, 5));
        k.swiotlb().unmap(k.swiotlb().map(secret, 256, DmaDirection.TO_DEVICE), DmaDirection.TO_DEVICE);
        kernelWrite(k, buffer, pattern(256, 6));

        final long tlb = k.swiotlb().map(buffer, 256, DmaDirection.FROM_DEVICE);
        device.write(tlb, new byte[16], 0, 16); // a partial write
        k.swiotlb().unmap(tlb, DmaDirection.FROM_DEVICE);

        final byte[] expected = pattern(256, 6);
        java.util.Arrays.fill(expected, 0, 16, (byte) 0);
        assertThat(kernelRead(k, buffer, 256)).isEqualTo(expected);
    }

    @Test
    void shouldCopyEachWayWhenSyncedForDeviceOrCpu() {
        final Kernel k = boot(EncryptionMode.SEV, 64 * MachineConfig.MIB);
        final DeviceDma device = new DeviceDma(k.machine());
        final long pa = k.pageAllocator().allocPages(0) << 12;
        final long tlb = k.swiotlb().map(pa, 128, DmaDirection.BIDIRECTIONAL);
        final long before = k.machine().ledger().get(Counter.SWIOTLB_BYTES);

        kernelWrite(k, pa, pattern(128, 7));
        k.swiotlb().sync(tlb, true);
        final byte[] seen = new byte[128];
        device.read(tlb, seen, 0, 128);
        device.write(tlb, pattern(128, 8), 0, 128);
        k.swiotlb().sync(tlb, false);

        assertThat(seen).isEqualTo(pattern(128, 7));
        assertThat(kernelRead(k, pa, 128)).isEqualTo(pattern(128, 8));
        assertThat(k.machine().ledger().get(Counter.SWIOTLB_BYTES) - before).isEqualTo(256);
    }

    @Test
    void shouldExposeBounceDataToTheHostButNotTheOriginalWhenAGuestBounces() {
        final Kernel k = boot(EncryptionMode.SEV_SNP, 64 * MachineConfig.MIB);
        final long pa = k.pageAllocator().allocPages(0) << 12;
        kernelWrite(k, pa, pattern(64, 9));

        final long tlb = k.swiotlb().map(pa, 64, DmaDirection.TO_DEVICE);

        assertThat(k.machine().frameStates().isShared(tlb >>> 12)).isTrue();
        assertThat(hostRead(k, tlb, 64)).isEqualTo(pattern(64, 9));
        assertThat(hostRead(k, pa, 64)).isNotEqualTo(pattern(64, 9));
        final byte[] seen = new byte[64];
        assertThat(new DeviceDma(k.machine()).read(tlb, seen, 0, 64)).isEqualTo(MemoryController.OK);
        assertThat(seen).isEqualTo(pattern(64, 9));
    }

    @Test
    void shouldTreatOnlyThePoolAsSwiotlbWhenAskedWhetherItContainsAnAddress() {
        final Kernel k = boot(EncryptionMode.SEV, 1 << 20);
        final Swiotlb s = k.swiotlb();

        assertThat(s.bytes()).isEqualTo(1 << 20);
        assertThat(s.contains(s.basePa())).isTrue();
        assertThat(s.contains(s.basePa() + s.bytes() - 1)).isTrue();
        assertThat(s.contains(s.basePa() + s.bytes())).isFalse();
        assertThat(s.contains(s.basePa() - 1)).isFalse();
    }

    @Test
    void shouldCallItAModelBugWhenUnmappingAnAddressThatWasNeverMapped() {
        final Kernel k = boot(EncryptionMode.SEV, 1 << 20);

        assertThatThrownBy(() -> k.swiotlb().unmap(k.swiotlb().basePa(), DmaDirection.TO_DEVICE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> k.swiotlb().sync(k.swiotlb().basePa(), true))
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] kernelRead(final Kernel k, final long pa, final int len) {
        final byte[] out = new byte[len];
        assertThat(k.cpuAccess().access(k.initMm(), DirectMap.va(pa), out, 0, len, false, null)).isEqualTo(Errno.OK);
        return out;
    }

    private static void kernelWrite(final Kernel k, final long pa, final byte[] data) {
        assertThat(k.cpuAccess().access(k.initMm(), DirectMap.va(pa), data, 0, data.length, true, null))
                .isEqualTo(Errno.OK);
    }

    private static byte[] hostRead(final Kernel k, final long pa, final int len) {
        final byte[] out = new byte[len];
        k.machine().hostReadSnooped(pa, out, 0, len);
        return out;
    }
}
