package org.ttmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.hw.TestMachines.machine;
import static org.ttmsim.hw.TestMachines.pattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.Counter;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.Pte;
import org.ttmsim.hw.TestMachines;

/**
 * Tests {@link CpuAccess}: TLB lookup, page walk, fault, and the memory access with the key the PTE
 * selects, including stale TLB use and the SEV-SNP/TDX integrity stop.
 */
class CpuAccessTest {
    private static final long PAGE = Pte.PAGE_SIZE;
    private static final byte[] HELLO = "hello, device".getBytes(StandardCharsets.US_ASCII);

    /** A booted kernel, process p1, and an object of {@code pages} freshly allocated frames. */
    private static final class Setup {
        final Machine m;
        final Kernel k;
        final MmStruct p1;
        final TestObject obj;
        Vma vma;

        Setup(final TestMachines.Builder b, final int pages) {
            m = b.build();
            k = new Kernel(m);
            p1 = k.newProcess("p1");
            obj = new TestObject(k.memory(), k.pageAllocator().allocPages(Integer.numberOfTrailingZeros(pages)));
        }

        Setup map(final int pages) {
            vma = k.mmap().doMmap(p1, obj, 0, pages, true, true, obj, "obj").vma();
            return this;
        }

        int read(final long offset, final byte[] out) {
            return k.cpuAccess().access(p1, vma.start() + offset, out, 0, out.length, false, null);
        }

        int write(final long offset, final byte[] data) {
            return k.cpuAccess().access(p1, vma.start() + offset, data, 0, data.length, true, null);
        }
    }

    @Test
    void shouldFaultOnceAndThenHitTheTlbWhenReadingTwice() {
        final Setup s = new Setup(machine(EncryptionMode.NONE), 1).map(1);

        assertThat(s.read(0, new byte[8])).isEqualTo(Errno.OK);
        assertThat(s.read(8, new byte[8])).isEqualTo(Errno.OK);

        assertThat(s.obj.faults()).hasSize(1);
        assertThat(s.m.ledger().get(Counter.FAULTS)).isEqualTo(1);
        assertThat(s.m.tlb().lookup(s.p1.cpu(), s.p1.asid(), s.vma.start() >>> 12))
                .isEqualTo(s.p1.pte(s.vma.start() >>> 12));
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void shouldSeeTheSameBytesThroughTheDirectMapWhenBothMappingsUseThePrivateKey(final EncryptionMode mode) {
        final Setup s = new Setup(machine(mode), 1).map(1);
        assertThat(s.write(100, HELLO)).isEqualTo(Errno.OK);

        final byte[] viaKernel = new byte[HELLO.length];
        s.k.cpuAccess().access(s.k.initMm(), DirectMap.va((s.obj.basePfn() << 12) + 100), viaKernel, 0,
                viaKernel.length, false, null);
        final byte[] host = new byte[HELLO.length];
        s.m.hostReadSnooped((s.obj.basePfn() << 12) + 100, host, 0, host.length);

        assertThat(viaKernel).isEqualTo(HELLO);
        if (mode == EncryptionMode.NONE) {
            assertThat(host).isEqualTo(HELLO);
        } else {
            assertThat(host).isNotEqualTo(HELLO);
        }
    }

    @Test
    void shouldReadGarbageWhenAnEncryptedPteMapsWhatTheDeviceWroteInPlaintextUnderSev() {
        final Setup s = new Setup(machine(EncryptionMode.SEV), 1).map(1);
        new DeviceDma(s.m).write(s.obj.basePfn() << 12, HELLO, 0, HELLO.length);

        final byte[] seen = new byte[HELLO.length];
        assertThat(s.read(0, seen)).isEqualTo(Errno.OK);

        assertThat(seen).isNotEqualTo(HELLO);
        assertThat(s.m.bus().log()).noneMatch(e -> e.kind() == EventKind.GUEST_FATAL);
    }

    @Test
    void shouldReadWhatTheDeviceWroteWhenThePteIsDecryptedUnderSev() {
        final Setup s = new Setup(machine(EncryptionMode.SEV), 1);
        s.obj.faultProt(s.m.cc()::mkDec);
        s.map(1);
        s.k.directMap().setMemoryDecrypted(s.obj.basePfn(), 1);
        new DeviceDma(s.m).write(s.obj.basePfn() << 12, HELLO, 0, HELLO.length);

        final byte[] seen = new byte[HELLO.length];
        assertThat(s.read(0, seen)).isEqualTo(Errno.OK);

        assertThat(seen).isEqualTo(HELLO);
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV_SNP", "TDX"})
    void shouldEndTheUserAccessWithAGuestFatalEventWhenAPrivateAccessHitsASharedFrame(final EncryptionMode mode) {
        final Setup s = new Setup(machine(mode), 1).map(1);
        s.k.directMap().setMemoryDecrypted(s.obj.basePfn(), 1);

        // ve_raise_fault(): a user-mode #VE the guest cannot handle is SIGSEGV; SEV-SNP's stop is SIGBUS.
        assertThat(s.read(0, new byte[8])).isEqualTo(mode == EncryptionMode.TDX ? Errno.SIGSEGV : Errno.SIGBUS);

        assertThat(s.m.bus().log()).filteredOn(e -> e.kind() == EventKind.GUEST_FATAL).singleElement()
                .satisfies(e -> {
                    assertThat(e.pfn()).isEqualTo(s.obj.basePfn());
                    assertThat(e.key()).isEqualTo(KeyId.GUEST);
                    assertThat(e.detail()).contains("the frame is shared");
                });
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV_SNP", "TDX"})
    void shouldEndTheUserAccessWithAGuestFatalEventWhenAPlaintextAccessHitsAPrivateFrame(final EncryptionMode mode) {
        final Setup s = new Setup(machine(mode), 1);
        s.obj.faultProt(s.m.cc()::mkDec);
        s.map(1);

        assertThat(s.write(0, HELLO)).isEqualTo(mode == EncryptionMode.TDX ? Errno.SIGSEGV : Errno.SIGBUS);

        assertThat(s.m.bus().log()).filteredOn(e -> e.kind() == EventKind.GUEST_FATAL).singleElement()
                .satisfies(e -> {
                    assertThat(e.key()).isEqualTo(KeyId.NONE);
                    assertThat(e.detail()).contains("the frame is private");
                });
        final byte[] host = new byte[HELLO.length];
        s.m.hostRead(s.obj.basePfn() << 12, host, 0, host.length);
        assertThat(host).isNotEqualTo(HELLO);
    }

    @Test
    void shouldReturnGarbageInsteadOfSigbusWhenTheSameMismatchRunsUnderPlainSev() {
        final Setup s = new Setup(machine(EncryptionMode.SEV), 1).map(1);
        s.k.directMap().setMemoryDecrypted(s.obj.basePfn(), 1);
        new DeviceDma(s.m).write(s.obj.basePfn() << 12, HELLO, 0, HELLO.length);

        final byte[] seen = new byte[HELLO.length];
        assertThat(s.read(0, seen)).isEqualTo(Errno.OK);

        assertThat(seen).isNotEqualTo(HELLO);
        assertThat(s.m.bus().log()).noneMatch(e -> e.kind() == EventKind.GUEST_FATAL);
    }

    @Test
    void shouldReturnSigsegvAndEmitASignalWhenNoVmaCoversTheAddress() {
        final Setup s = new Setup(machine(EncryptionMode.NONE), 1).map(1);

        assertThat(s.k.cpuAccess().access(s.p1, s.vma.end(), new byte[1], 0, 1, false, null))
                .isEqualTo(Errno.SIGSEGV);

        assertThat(s.m.bus().log()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EventKind.SIGNAL);
            assertThat(e.detail()).contains("SIGSEGV");
        });
    }

    @Test
    void shouldReturnSigbusRatherThanLoopWhenTheHandlerNeverInstallsAPte() {
        final Setup s = new Setup(machine(EncryptionMode.NONE), 1);
        s.obj.installNothing();
        s.map(1);

        assertThat(s.read(0, new byte[1])).isEqualTo(Errno.SIGBUS);

        assertThat(s.obj.faults()).hasSize(2);
        assertThat(s.m.bus().log()).anyMatch(e -> e.kind() == EventKind.SIGNAL && e.detail().contains("no progress"));
    }

    @Test
    void shouldReturnEfaultWhenTheKernelTouchesAnUnmappedVmallocAddress() {
        final Setup s = new Setup(machine(EncryptionMode.SEV), 2);
        final long[] pfns = {s.obj.basePfn(), s.obj.basePfn() + 1};
        final long va = s.k.vmalloc().vmap(pfns, 2, s.m.cc().mkDec(Pgprot.pageKernel(s.m.cc())));
        final KeyId[] used = new KeyId[1];

        assertThat(s.k.cpuAccess().access(s.k.initMm(), va + PAGE, new byte[4], 0, 4, false,
                (v, pte, key, off, len) -> used[0] = key)).isEqualTo(Errno.OK);
        assertThat(used[0]).isEqualTo(KeyId.NONE);
        assertThat(s.k.cpuAccess().access(s.k.initMm(), va + 2 * PAGE, new byte[4], 0, 4, false, null))
                .isEqualTo(Errno.EFAULT);

        s.k.vmalloc().vunmap(va, 2);
        assertThat(s.k.cpuAccess().access(s.k.initMm(), va, new byte[4], 0, 4, false, null))
                .isEqualTo(Errno.EFAULT);
    }

    @Test
    void shouldSplitTheAccessAtPageBoundariesWhenItSpansPages() {
        final Setup s = new Setup(machine(EncryptionMode.SME), 2).map(2);
        final List<String> pieces = new ArrayList<>();
        final byte[] data = pattern(300, 1);

        assertThat(s.k.cpuAccess().access(s.p1, s.vma.start() + PAGE - 100, data, 0, data.length, true,
                (va, pte, key, off, len) -> pieces.add(Long.toHexString(Pte.pfn(pte, 47)) + ":" + key + ":" + off
                        + "+" + len))).isEqualTo(Errno.OK);

        final long pfn = s.obj.basePfn();
        assertThat(pieces).containsExactly(Long.toHexString(pfn) + ":HOST:0+100",
                Long.toHexString(pfn + 1) + ":HOST:100+200");
        final byte[] back = new byte[300];
        s.read(PAGE - 100, back);
        assertThat(back).isEqualTo(data);
    }

    @Test
    void shouldChargeEngineLatencyPerLineOnlyWhenTheAccessIsEncrypted() {
        final Setup s = new Setup(machine(EncryptionMode.SEV), 2);
        s.map(2);
        s.read(0, new byte[1]);
        final long before = s.m.ledger().simulatedNs();

        s.read(0, new byte[128]);

        assertThat(s.m.ledger().simulatedNs() - before).isEqualTo(2 * s.m.costs().encryptedLineNs());
    }

    @Test
    void shouldUseTheStaleTranslationToTheOldFrameWhenAZapSkippedTheTlbFlush() {
        final Setup s = new Setup(machine(EncryptionMode.NONE).inject(Injection.SKIP_TLB_FLUSH), 1).map(1);
        final long oldPfn = s.obj.basePfn();
        s.write(0, "old frame".getBytes(StandardCharsets.US_ASCII));
        final long newPfn = s.k.pageAllocator().allocPages(0);
        s.obj.moveTo(newPfn);
        s.k.memory().unmapMappingRange(s.obj.mapping(), 0, 1);
        assertThat(s.p1.pte(s.vma.start() >>> 12)).isZero();

        final byte[] seen = new byte[9];
        final long[] usedPfn = new long[1];
        assertThat(s.k.cpuAccess().access(s.p1, s.vma.start(), seen, 0, 9, false,
                (va, pte, key, off, len) -> usedPfn[0] = Pte.pfn(pte, 47))).isEqualTo(Errno.OK);

        assertThat(usedPfn[0]).isEqualTo(oldPfn);
        assertThat(new String(seen, StandardCharsets.US_ASCII)).isEqualTo("old frame");
        assertThat(s.obj.faults()).hasSize(1);
    }

    @Test
    void shouldFaultAndReachTheNewFrameAfterAZapWhenTheTlbWasFlushed() {
        final Setup s = new Setup(machine(EncryptionMode.NONE), 1).map(1);
        s.write(0, "old frame".getBytes(StandardCharsets.US_ASCII));
        final long newPfn = s.k.pageAllocator().allocPages(0);
        s.obj.moveTo(newPfn);
        s.k.memory().unmapMappingRange(s.obj.mapping(), 0, 1);

        final long[] usedPfn = new long[1];
        assertThat(s.k.cpuAccess().access(s.p1, s.vma.start(), new byte[9], 0, 9, false,
                (va, pte, key, off, len) -> usedPfn[0] = Pte.pfn(pte, 47))).isEqualTo(Errno.OK);

        assertThat(s.obj.faults()).hasSize(2);
        assertThat(usedPfn[0]).isEqualTo(newPfn);
        assertThat(s.m.ledger().get(Counter.FAULTS)).isEqualTo(2);
    }

    @Test
    void shouldAllocateNothingPerAccessOnceMappedWhenNobodyListens() {
        final int pages = 16;
        final Setup s = new Setup(machine(EncryptionMode.SME).keepLog(false), pages).map(pages);
        final byte[] buf = pattern((int) PAGE, 7);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final int rounds = 256;
        int result = 0;
        for (int pass = 0; pass < 2; pass++) { // the first pass faults and grows tables; the second warms up
            result |= touchAll(s, pages, buf, rounds);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        result |= touchAll(s, pages, buf, rounds);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(result).isEqualTo(Errno.OK);
        // 8192 loads and stores of whole pages through TLB, cache and engine; an event detail captured
        // per access would be 40 bytes each (320 KiB). A little slack for the JVM's own bookkeeping.
        assertThat(allocated).as("bytes allocated by %d accesses", 2 * pages * rounds).isLessThan(16 * 1024);
    }

    private static int touchAll(final Setup s, final int pages, final byte[] buf, final int rounds) {
        int r = 0;
        for (int i = 0; i < rounds; i++) {
            for (int p = 0; p < pages; p++) {
                r |= s.write(p * PAGE, buf);
                r |= s.read(p * PAGE, buf);
            }
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV_SNP", "TDX"})
    void shouldOopsAndCountTheStopWhenAKernelAccessHitsAFrameOfTheOtherKind(final EncryptionMode mode) {
        final Setup s = new Setup(machine(mode), 1);
        final long pfn = s.obj.basePfn();
        s.k.directMap().setMemoryDecrypted(pfn, 1);
        s.m.frameStates().markPrivate(pfn); // the direct map says shared, the frame is private

        final int r = s.k.cpuAccess().access(s.k.initMm(), DirectMap.va(pfn << 12), new byte[8], 0, 8, false, null);

        assertThat(r).isEqualTo(Errno.OOPS);
        assertThat(s.m.kernelStops()).isEqualTo(1);
    }
}
