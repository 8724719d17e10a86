package org.ttmsim.dma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.hw.TestMachines.machine;
import static org.ttmsim.hw.TestMachines.pattern;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.mm.DirectMap;
import org.ttmsim.mm.Pgprot;
import org.ttmsim.release.KernelRelease;

/**
 * Tests {@link DmaDirect}: force_dma_unencrypted (arch/x86/mm/mem_encrypt.c), coherent allocation that
 * decrypts where forced and re-encrypts on free, streaming maps that bounce through SWIOTLB, and
 * dma_pgprot. Device-side bytes are read through {@link DeviceDma}, CPU-side bytes through the direct map.
 */
class DmaDirectTest {
    private static final DmaDevice FULL = new DmaDevice("full", 64, false);
    private static final DmaDevice MASK44 = new DmaDevice("mask44", 44, false);

    /** One row of the force_dma_unencrypted table. */
    record ForceCase(String description, EncryptionMode mode, int cbit, int maskBits, boolean iommu,
            boolean forced) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<ForceCase> forceDmaUnencryptedTable() {
        return Stream.of(
                new ForceCase("SEV, 32-bit device", EncryptionMode.SEV, 47, 32, false, true),
                new ForceCase("SEV, 64-bit device", EncryptionMode.SEV, 47, 64, false, true),
                new ForceCase("SEV, device behind an IOMMU", EncryptionMode.SEV, 47, 64, true, true),
                new ForceCase("SME, C-bit 47, 48-bit mask", EncryptionMode.SME, 47, 48, false, false),
                new ForceCase("SME, C-bit 47, 44-bit mask", EncryptionMode.SME, 47, 44, false, true),
                // arch/x86/mm/mem_encrypt.c has no IOMMU test in any release (every version read): the
                // IOMMU only routes the DMA API around dma-direct (see the allocCoherent test below).
                new ForceCase("SME, C-bit 47, 44-bit mask behind an IOMMU", EncryptionMode.SME, 47, 44, true, true),
                new ForceCase("SME, C-bit 47, 47-bit mask = DMA_BIT_MASK(47)", EncryptionMode.SME, 47, 47, false,
                        true),
                new ForceCase("SME, C-bit 51, 48-bit mask", EncryptionMode.SME, 51, 48, false, true),
                new ForceCase("SME, 64-bit mask", EncryptionMode.SME, 47, 64, false, false),
                new ForceCase("no encryption, 32-bit mask", EncryptionMode.NONE, 47, 32, false, false),
                new ForceCase("no encryption, 64-bit mask", EncryptionMode.NONE, 47, 64, false, false),
                new ForceCase("TDX, 64-bit device", EncryptionMode.TDX, 51, 64, false, true),
                new ForceCase("TDX, device behind an IOMMU", EncryptionMode.TDX, 51, 64, true, true),
                new ForceCase("SEV-SNP, 64-bit device", EncryptionMode.SEV_SNP, 51, 64, false, true),
                new ForceCase("SEV-SNP, 44-bit device", EncryptionMode.SEV_SNP, 47, 44, false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forceDmaUnencryptedTable")
    void shouldForceUnencryptedDmaPerTheKernelTableWhenAskedForADevice(final ForceCase c) {
        final Kernel k = new Kernel(machine(c.mode()).cbit(c.cbit()).build());

        assertThat(k.dma().forceDmaUnencrypted(new DmaDevice("dev", c.maskBits(), c.iommu()))).isEqualTo(c.forced());
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void shouldPutTheCBitInTheDmaAddressOnlyOnAnSmeHost(final EncryptionMode mode) {
        final Kernel k = new Kernel(machine(mode).build());

        final long dma = k.dma().physToDma(0x1234_5000L);

        assertThat(dma).isEqualTo(mode == EncryptionMode.SME ? 0x1234_5000L | (1L << 47) : 0x1234_5000L);
        assertThat(k.dma().physToDmaUnencrypted(0x1234_5000L)).isEqualTo(0x1234_5000L);
    }

    @Test
    void shouldJudgeDmaCapabilityByMaskUnlessAnIommuRemaps() {
        final Kernel k = new Kernel(machine(EncryptionMode.NONE).build());
        final DmaDevice dev32 = new DmaDevice("d32", 32, false);

        assertThat(k.dma().dmaCapable(dev32, 0xffff_f000L, 0x1000)).isTrue();
        assertThat(k.dma().dmaCapable(dev32, 0xffff_f000L, 0x1001)).isFalse();
        assertThat(k.dma().dmaCapable(new DmaDevice("mmu", 32, true), 1L << 40, 0x1000)).isTrue();
        assertThat(k.dma().dmaCapable(FULL, -4096L, 4096)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV", "SEV_SNP", "TDX"})
    void shouldDecryptCoherentMemoryAndReencryptItOnFreeWhenAGuest(final EncryptionMode mode) {
        final Kernel k = new Kernel(machine(mode).build());
        final Machine m = k.machine();
        final long freeBefore = k.pageAllocator().freePages();

        final DmaChunk chunk = k.dma().allocCoherent(FULL, 2);

        assertThat(chunk.decrypted()).isTrue();
        assertThat(chunk.dmaAddr()).isEqualTo(chunk.pfn() << 12);
        assertThat(m.ledger().get(Counter.PAGES_DECRYPTED)).isEqualTo(4);
        for (long p = chunk.pfn(); p < chunk.pfn() + 4; p++) {
            assertThat(m.frameStates().isShared(p)).isTrue();
            assertThat(k.directMap().isDecrypted(p)).isTrue();
        }
        assertThat(deviceRead(m, chunk.dmaAddr(), 4 * 4096)).containsOnly(0);
        final byte[] hello = pattern(64, 1);
        assertThat(new DeviceDma(m).write(chunk.dmaAddr() + 4096, hello, 0, 64)).isEqualTo(MemoryController.OK);
        assertThat(kernelRead(k, (chunk.pfn() + 1) << 12, 64)).isEqualTo(hello);

        k.dma().freeCoherent(FULL, chunk);

        assertThat(m.ledger().get(Counter.PAGES_ENCRYPTED)).isEqualTo(4);
        for (long p = chunk.pfn(); p < chunk.pfn() + 4; p++) {
            assertThat(m.frameStates().isPrivate(p)).isTrue();
            assertThat(k.directMap().isDecrypted(p)).isFalse();
        }
        assertThat(k.pageAllocator().freePages()).isEqualTo(freeBefore);
    }

    @Test
    void shouldKeepCoherentMemoryEncryptedAndSetTheCBitWhenAnSmeDeviceCanAddressIt() {
        final Kernel k = new Kernel(machine(EncryptionMode.SME).build());
        final Machine m = k.machine();

        final DmaChunk chunk = k.dma().allocCoherent(FULL, 0);
        final byte[] hello = pattern(64, 2);
        new DeviceDma(m).write(chunk.dmaAddr(), hello, 0, 64);

        assertThat(chunk.decrypted()).isFalse();
        assertThat(chunk.dmaAddr()).isEqualTo((chunk.pfn() << 12) | (1L << 47));
        assertThat(m.ledger().get(Counter.PAGES_DECRYPTED)).isZero();
        assertThat(kernelRead(k, chunk.pfn() << 12, 64)).isEqualTo(hello);
        assertThat(hostRead(m, chunk.pfn() << 12, 64)).isNotEqualTo(hello);
    }

    @Test
    void shouldDecryptCoherentMemoryWhenAnSmeDevicesMaskCannotCarryTheCBit() {
        final Kernel k = new Kernel(machine(EncryptionMode.SME).build());
        final Machine m = k.machine();

        final DmaChunk chunk = k.dma().allocCoherent(MASK44, 1);
        final byte[] hello = pattern(64, 3);
        new DeviceDma(m).write(chunk.dmaAddr(), hello, 0, 64);

        assertThat(chunk.decrypted()).isTrue();
        assertThat(chunk.dmaAddr()).isEqualTo(chunk.pfn() << 12);
        assertThat(m.ledger().get(Counter.PAGES_DECRYPTED)).isEqualTo(2);
        assertThat(m.ledger().get(Counter.HYPERCALLS)).isZero();
        assertThat(kernelRead(k, chunk.pfn() << 12, 64)).isEqualTo(hello);
    }

    @Test
    void shouldConvertNothingWhenThereIsNoEncryption() {
        final Kernel k = new Kernel(machine(EncryptionMode.NONE).build());

        final DmaChunk chunk = k.dma().allocCoherent(MASK44, 3);

        assertThat(chunk.decrypted()).isFalse();
        assertThat(chunk.dmaAddr()).isEqualTo(chunk.pfn() << 12);
        assertThat(k.machine().ledger().get(Counter.PAGES_DECRYPTED)).isZero();
    }

    /** Behind a translating IOMMU dma_alloc_coherent() goes through dma-iommu: nothing is decrypted. */
    @Test
    void shouldKeepCoherentPagesEncryptedBehindAnIommuThoughForceDmaUnencryptedSaysTrue() {
        final Kernel k = new Kernel(machine(EncryptionMode.SME).build());
        final DmaDevice behindIommu = new DmaDevice("gpu", 44, true);

        final DmaChunk chunk = k.dma().allocCoherent(behindIommu, 0);

        assertThat(k.dma().forceDmaUnencrypted(behindIommu)).isTrue();
        assertThat(chunk.decrypted()).isFalse();
        assertThat(k.directMap().isDecrypted(chunk.pfn())).isFalse();
        assertThat(k.machine().ledger().get(Counter.PAGES_DECRYPTED)).isZero();
    }

    /** Before v5.3 (9087c37584fb) only SEV forced unencrypted DMA: an SME host never did. */
    @Test
    void shouldNotForceUnencryptedDmaOnAnSmeHostBeforeV53() {
        final Kernel k = new Kernel(machine(EncryptionMode.SME).build(), KernelRelease.parse("v5.2"));

        assertThat(k.dma().forceDmaUnencrypted(new DmaDevice("gpu", 44, false))).isFalse();
    }

    /** b9fa16949d18 (v6.9): dma_direct_alloc() leaks pages whose dma_set_decrypted() failed. */
    @Test
    void shouldFailAndLeakThePagesWhenTdxRefusesTheConversionFromV69() {
        final Kernel k = new Kernel(machine(EncryptionMode.TDX).inject(Injection.CONVERSION_FAILS).build(),
                KernelRelease.parse("v6.9"));
        final long freeBefore = k.pageAllocator().freePages();

        final DmaChunk chunk = k.dma().allocCoherent(FULL, 2);

        assertThat(chunk).isNull();
        assertThat(k.pageAllocator().freePages()).isEqualTo(freeBefore - 4);
        assertThat(k.machine().bus().log()).anySatisfy(e -> assertThat(e.detail()).contains("leaked"));
    }

    /** v5.8 to v6.8 (56fccf21d196): the pages go back to the allocator in whatever state the failure left. */
    @Test
    void shouldFailAndFreeThePagesInAnUnknownStateWhenTdxRefusesTheConversionBeforeV69() {
        final Kernel k = new Kernel(machine(EncryptionMode.TDX).inject(Injection.CONVERSION_FAILS).build(),
                KernelRelease.parse("v6.8"));
        final long freeBefore = k.pageAllocator().freePages();

        final DmaChunk chunk = k.dma().allocCoherent(FULL, 2);

        assertThat(chunk).isNull();
        assertThat(k.pageAllocator().freePages()).isEqualTo(freeBefore);
        assertThat(k.machine().bus().log()).anySatisfy(e -> assertThat(e.detail()).contains("unknown state"));
    }

    /** SEV ignores the VMM's answer: the allocation succeeds whatever the injection. */
    @Test
    void shouldSucceedUnderSevWhenTheHypercallIsRefused() {
        final Kernel k = new Kernel(machine(EncryptionMode.SEV).inject(Injection.CONVERSION_FAILS).build());

        final DmaChunk chunk = k.dma().allocCoherent(FULL, 2);

        assertThat(chunk).isNotNull();
        assertThat(chunk.decrypted()).isTrue();
        assertThat(k.machine().frameStates().isShared(chunk.pfn())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV", "SEV_SNP", "TDX"})
    void shouldAlwaysBounceAStreamingMapWhenAGuestEvenForAFullMaskDevice(final EncryptionMode mode) {
        final Kernel k = new Kernel(machine(mode).build());
        final Machine m = k.machine();
        final long pa = k.pageAllocator().allocPages(0) << 12;
        final byte[] data = pattern(3000, 4);
        kernelWrite(k, pa, data);

        final long dma = k.dma().mapPage(FULL, pa, data.length, DmaDirection.TO_DEVICE);

        assertThat(k.swiotlb().contains(dma)).isTrue();
        assertThat(deviceRead(m, dma, data.length)).isEqualTo(data);
        assertThat(hostRead(m, pa, data.length)).isNotEqualTo(data);
        assertThat(m.ledger().get(Counter.SWIOTLB_BYTES)).isEqualTo(data.length);

        k.dma().unmapPage(FULL, dma, DmaDirection.TO_DEVICE);

        assertThat(m.ledger().get(Counter.SWIOTLB_BYTES)).isEqualTo(data.length);
        assertThat(k.swiotlb().usedSlots()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV_SNP", "TDX"})
    void shouldStopTheDeviceWhenItTargetsThePrivatePageInsteadOfTheBounceBuffer(final EncryptionMode mode) {
        final Kernel k = new Kernel(machine(mode).build());
        final long pa = k.pageAllocator().allocPages(0) << 12;

        assertThat(new DeviceDma(k.machine()).read(pa, new byte[64], 0, 64)).isEqualTo(MemoryController.GUEST_FATAL);
        assertThat(k.machine().bus().log()).anyMatch(e -> e.kind() == EventKind.GUEST_FATAL);
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV", "SEV_SNP", "TDX"})
    void shouldCopyWhatTheDeviceWroteBackToThePrivatePageOnlyAtUnmap(final EncryptionMode mode) {
        final Kernel k = new Kernel(machine(mode).build());
        final long pa = k.pageAllocator().allocPages(0) << 12;
        kernelWrite(k, pa, pattern(256, 5));
        final long dma = k.dma().mapPage(FULL, pa, 256, DmaDirection.FROM_DEVICE);
        final byte[] fromDevice = pattern(256, 6);

        new DeviceDma(k.machine()).write(dma, fromDevice, 0, 256);
        assertThat(kernelRead(k, pa, 256)).isEqualTo(pattern(256, 5));
        k.dma().unmapPage(FULL, dma, DmaDirection.FROM_DEVICE);

        assertThat(kernelRead(k, pa, 256)).isEqualTo(fromDevice);
        assertThat(hostRead(k.machine(), pa, 256)).isNotEqualTo(fromDevice);
    }

    @Test
    void shouldMapDirectlyWithoutBouncingWhenNothingForcesIt() {
        final Kernel k = new Kernel(machine(EncryptionMode.NONE).build());
        final long pa = k.pageAllocator().allocPages(0) << 12;

        final long dma = k.dma().mapPage(FULL, pa, 4096, DmaDirection.BIDIRECTIONAL);

        assertThat(dma).isEqualTo(pa);
        assertThat(k.swiotlb().usedSlots()).isZero();
        assertThat(k.machine().ledger().get(Counter.SWIOTLB_BYTES)).isZero();
    }

    @Test
    void shouldMapWithTheCBitSoTheDeviceSeesPlaintextWhenAnSmeDeviceCanAddressIt() {
        final Kernel k = new Kernel(machine(EncryptionMode.SME).build());
        final long pa = k.pageAllocator().allocPages(0) << 12;
        final byte[] data = pattern(512, 7);
        kernelWrite(k, pa, data);

        final long dma = k.dma().mapPage(FULL, pa, data.length, DmaDirection.TO_DEVICE);

        assertThat(dma).isEqualTo(pa | (1L << 47));
        assertThat(new DeviceDma(k.machine()).keyOf(dma)).isEqualTo(KeyId.HOST);
        assertThat(deviceRead(k.machine(), dma, data.length)).isEqualTo(data);
        assertThat(k.swiotlb().usedSlots()).isZero();
    }

    @Test
    void shouldBounceSoTheDeviceSeesPlaintextWhenAnSmeDevicesMaskCannotCarryTheCBit() {
        final Kernel k = new Kernel(machine(EncryptionMode.SME).build());
        final long pa = k.pageAllocator().allocPages(0) << 12;
        final byte[] data = pattern(512, 8);
        kernelWrite(k, pa, data);

        final long dma = k.dma().mapPage(MASK44, pa, data.length, DmaDirection.TO_DEVICE);

        assertThat(k.swiotlb().contains(dma)).isTrue();
        assertThat(dma & (1L << 47)).isZero();
        assertThat(deviceRead(k.machine(), dma, data.length)).isEqualTo(data);
    }

    @Test
    void shouldCopyOnlyWhenSyncedWhileAStreamingMappingIsLive() {
        final Kernel k = new Kernel(machine(EncryptionMode.SEV).build());
        final long pa = k.pageAllocator().allocPages(0) << 12;
        kernelWrite(k, pa, pattern(128, 9));
        final long dma = k.dma().mapPage(FULL, pa, 128, DmaDirection.BIDIRECTIONAL);

        new DeviceDma(k.machine()).write(dma, pattern(128, 10), 0, 128);
        k.dma().sync(dma, false);
        assertThat(kernelRead(k, pa, 128)).isEqualTo(pattern(128, 10));

        kernelWrite(k, pa, pattern(128, 11));
        assertThat(deviceRead(k.machine(), dma, 128)).isEqualTo(pattern(128, 10));
        k.dma().sync(dma, true);
        assertThat(deviceRead(k.machine(), dma, 128)).isEqualTo(pattern(128, 11));
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void shouldDecryptTheCpuProtectionExactlyWhenDmaIsForcedUnencrypted(final EncryptionMode mode) {
        final Kernel k = new Kernel(machine(mode).build());
        final Machine m = k.machine();
        final long prot = Pgprot.pageKernel(m.cc());

        for (final DmaDevice dev : new DmaDevice[] {FULL, MASK44}) {
            final long p = k.dma().dmaPgprot(dev, prot);
            assertThat(m.cc().isPrivate(p)).as(dev.name()).isEqualTo(mode != EncryptionMode.NONE
                    && !k.dma().forceDmaUnencrypted(dev));
            assertThat(p & ~m.cc().encMask()).isEqualTo(prot & ~m.cc().encMask());
        }
    }

    private static byte[] deviceRead(final Machine m, final long dma, final int len) {
        final byte[] out = new byte[len];
        assertThat(new DeviceDma(m).read(dma, out, 0, len)).isEqualTo(MemoryController.OK);
        return out;
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

    private static byte[] hostRead(final Machine m, final long pa, final int len) {
        final byte[] out = new byte[len];
        m.hostRead(pa, out, 0, len);
        return out;
    }
}
