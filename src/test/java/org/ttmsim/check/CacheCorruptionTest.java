package org.ttmsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ttmsim.hw.TestMachines;
import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.DeviceDma;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Event;
import org.ttmsim.hw.EventKind;
import org.ttmsim.hw.Injection;
import org.ttmsim.hw.KeyId;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MemoryController;
import org.ttmsim.hw.Pte;
import org.ttmsim.mm.DirectMap;

/**
 * Tests {@link CacheCorruption}: the cache-alias scenarios end to end on the booted
 * kernel (direct map, set_memory_decrypted, device DMA), then the monitor's rule on the controller.
 */
class CacheCorruptionTest {
    private static final int LINE = 64;
    private static final int PAGE = 4096;
    private static final int OLD_BYTES = 4 * LINE;
    private static final int DEVICE_BYTES = 3 * LINE + 8;

    /** A booted kernel with the monitor listening, run step by step as the scenario runner would. */
    private static final class Run {
        final Machine machine;
        final Kernel kernel;
        final CacheCorruption monitor;
        final List<Violation> violations = new ArrayList<>();
        int step;

        Run(final EncryptionMode mode, final boolean smeCoherent, final Injection... injections) {
            final TestMachines.Builder b = TestMachines.machine(mode).smeCoherent(smeCoherent);
            for (final Injection i : injections) {
                b.inject(i);
            }
            machine = b.build();
            kernel = new Kernel(machine);
            monitor = new CacheCorruption(machine);
            machine.bus().subscribe(monitor);
        }

        List<Violation> step(final Runnable action) {
            step++;
            machine.bus().setStep(step);
            action.run();
            final List<Violation> out = new ArrayList<>();
            monitor.afterStep(step, null, out);
            violations.addAll(out);
            return out;
        }

        void kernelWrite(final long pa, final byte[] data) {
            assertThat(kernel.cpuAccess().access(kernel.initMm(), DirectMap.va(pa), data, 0, data.length, true, null))
                    .isEqualTo(Errno.OK);
        }

        byte[] kernelRead(final long pa, final int len) {
            final byte[] out = new byte[len];
            assertThat(kernel.cpuAccess().access(kernel.initMm(), DirectMap.va(pa), out, 0, len, false, null))
                    .isEqualTo(Errno.OK);
            return out;
        }

        long page() {
            return kernel.pageAllocator().allocPages(0) << Pte.PAGE_SHIFT;
        }

        List<Event> events(final EventKind kind) {
            return machine.bus().log().stream().filter(e -> e.kind() == kind).toList();
        }
    }

    private static byte[] text(final String s, final int len) {
        return Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), len);
    }

    private static final byte[] OLD = text("written through the C=1 alias before the conversion", OLD_BYTES);
    private static final byte[] DEVICE = text("frame 2: written by the device after the conversion", DEVICE_BYTES);

    /**
     * Item 16: the CPU writes through the C=1 direct map; set_memory_decrypted flips the page (with the
     * flush skipped, or not needed); the device writes new data; the CPU then streams through 8 other
     * pages, so the LRU evicts whatever stale line is left.
     */
    private static void item16(final Run r, final long pa) {
        r.step(() -> r.kernelWrite(pa, OLD));
        r.step(() -> assertThat(r.kernel.directMap().setMemoryDecrypted(pa >>> Pte.PAGE_SHIFT, 1))
                .isEqualTo(Errno.OK));
        r.step(() -> assertThat(new DeviceDma(r.machine).write(pa, DEVICE, 0, DEVICE.length))
                .isEqualTo(MemoryController.OK));
        final long[] others = new long[8];
        for (int i = 0; i < others.length; i++) {
            others[i] = r.page();
        }
        r.step(() -> {
            for (final long other : others) {
                r.kernelWrite(other, new byte[PAGE]);
            }
        });
    }

    private static byte[] deviceRead(final Run r, final long pa, final int len) {
        final byte[] out = new byte[len];
        assertThat(new DeviceDma(r.machine).read(pa, out, 0, len)).isEqualTo(MemoryController.OK);
        return out;
    }

    // ---------------------------------------------------------------- item 16 end to end

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SME", "SEV", "SEV_SNP", "TDX"})
    void shouldReportCacheCorruptionWhenTheFlushIsSkippedAndAStaleLineIsEvicted(final EncryptionMode mode) {
        final Run r = new Run(mode, false, Injection.SKIP_CACHE_FLUSH);
        final long pa = r.page();

        item16(r, pa);

        assertThat(r.events(EventKind.CACHE_FLUSH)).isEmpty();
        assertThat(r.events(EventKind.INJECT)).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("skip-cache-flush"));
        assertThat(r.violations).singleElement().satisfies(v -> {
            assertThat(v.invariant()).isEqualTo(Invariant.CACHE_CORRUPTION);
            assertThat(v.step()).isEqualTo(4);
            assertThat(v.message()).contains("eviction write-back of pa 0x" + Long.toHexString(pa))
                    .contains("(key " + r.machine.cc().privateKey().label() + ")")
                    .contains("device/uncached write key none at step 3").contains("4 of 4 lines in the run stale");
        });
        // The device's data is gone: the device and the CPU (through the new C=0 map) read garbage.
        final byte[] devView = deviceRead(r, pa, DEVICE.length);
        final byte[] cpuView = r.kernelRead(pa, DEVICE.length);
        assertThat(devView).isNotEqualTo(DEVICE).isNotEqualTo(Arrays.copyOf(OLD, DEVICE.length));
        assertThat(cpuView).isEqualTo(devView);
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SME", "SEV", "SEV_SNP", "TDX"})
    void shouldKeepTheDeviceDataWhenTheKernelFlushesBeforeTheConversion(final EncryptionMode mode) {
        final Run r = new Run(mode, false);
        final long pa = r.page();

        item16(r, pa);

        assertThat(r.events(EventKind.CACHE_FLUSH)).hasSize(1);
        assertThat(r.events(EventKind.CACHE_WRITEBACK).get(0).detail()).startsWith("clflush wrote back 4 dirty lines");
        assertThat(r.violations).isEmpty();
        assertThat(deviceRead(r, pa, DEVICE.length)).isEqualTo(DEVICE);
        assertThat(r.kernelRead(pa, DEVICE.length)).isEqualTo(DEVICE);
    }

    /**
     * SME_COHERENT: the kernel skips the flush ({@code amd_enc_cache_flush_required()} is
     * {@code !SME_COHERENT}), and the CPU side is coherent across keys, but the device is not
     * (d45829b351ee: "All confidential cache lines are still incoherent with DMA devices"): the private
     * line left dirty by the conversion is written back over the device's data.
     */
    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SME", "SEV", "SEV_SNP"})
    void shouldReportCacheCorruptionWithoutAFlushWhenCachesAreSmeCoherentBecauseDmaIsNot(final EncryptionMode mode) {
        final Run r = new Run(mode, true, Injection.SKIP_CACHE_FLUSH);
        final long pa = r.page();

        item16(r, pa);

        assertThat(r.events(EventKind.CACHE_FLUSH)).as("the kernel does not flush: !SME_COHERENT is false").isEmpty();
        assertThat(r.events(EventKind.INJECT)).as("so there is no flush to skip").isEmpty();
        assertThat(r.violations).extracting(Violation::invariant).containsExactly(Invariant.CACHE_CORRUPTION);
        assertThat(deviceRead(r, pa, DEVICE.length)).isNotEqualTo(DEVICE);
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SME", "SEV", "SEV_SNP"})
    void shouldKeepTheDeviceDataWithoutAFlushWhenSmeCoherentCachesSawACpuStoreOfTheNewKeyFirst(
            final EncryptionMode mode) {
        final Run r = new Run(mode, true);
        final long pa = r.page();
        r.step(() -> r.kernelWrite(pa, OLD));
        r.step(() -> assertThat(r.kernel.directMap().setMemoryDecrypted(pa >>> Pte.PAGE_SHIFT, 1))
                .isEqualTo(Errno.OK));
        // dma_direct_alloc()'s memset through the new C=0 map: the CPU-side coherency writes the old key's
        // lines back and drops them before the stores.
        r.step(() -> r.kernelWrite(pa, new byte[OLD.length]));
        r.step(() -> assertThat(new DeviceDma(r.machine).write(pa, DEVICE, 0, DEVICE.length))
                .isEqualTo(MemoryController.OK));
        final long[] others = new long[8];
        for (int i = 0; i < others.length; i++) {
            others[i] = r.page();
        }
        r.step(() -> {
            for (final long other : others) {
                r.kernelWrite(other, new byte[PAGE]);
            }
        });

        assertThat(r.violations).isEmpty();
        assertThat(deviceRead(r, pa, DEVICE.length)).isEqualTo(DEVICE);
        assertThat(r.kernelRead(pa, DEVICE.length)).isEqualTo(DEVICE);
    }

    @Test
    void shouldStillCorruptOnTdxWhenSmeCoherentIsSetBecauseLinesAreTaggedByKeyId() {
        final Run r = new Run(EncryptionMode.TDX, true, Injection.SKIP_CACHE_FLUSH);
        final long pa = r.page();

        item16(r, pa);

        assertThat(r.events(EventKind.INJECT)).hasSize(1);
        assertThat(r.violations).extracting(Violation::invariant).containsExactly(Invariant.CACHE_CORRUPTION);
    }

    @Test
    void shouldQuoteTheStaleStoreTheNewerWriteAndTheWritebackAsEvidence() {
        final Run r = new Run(EncryptionMode.SEV, false, Injection.SKIP_CACHE_FLUSH);
        final long pa = r.page();

        item16(r, pa);

        final List<String> evidence = r.violations.get(0).evidence();
        assertThat(evidence).hasSize(5);
        // OLD fills whole lines, so the line's copy is the store itself: nothing older was in it.
        assertThat(evidence.get(0)).isEqualTo("stale line pa 0x" + Long.toHexString(pa) + " (key guest): copy of "
                + "CPU store key guest at step 1 (write #1); last stored by CPU store key guest at step 1 (write #1)");
        assertThat(evidence.get(1)).startsWith("  [step 1] cpu cpu-write pfn=0x" + Long.toHexString(pa >>> 12));
        assertThat(evidence.get(2)).startsWith("newer data: device/uncached write key none at step 3");
        assertThat(evidence.get(3)).startsWith("  [step 3] dma dma-write pfn=0x" + Long.toHexString(pa >>> 12));
        assertThat(evidence.get(4)).startsWith("overwritten by: [step 4] cache cache-writeback pfn=0x"
                + Long.toHexString(pa >>> 12) + " key=guest: eviction wrote back 4 dirty lines in +0x0..+0xff");
    }

    // ---------------------------------------------------------------- the rule, on the controller

    private static final long PA = 0x30_0000L;

    @Test
    void shouldNotReportWhenTheCpuRewritesTheWholeLineAfterTheOtherWrite() {
        final Run r = new Run(EncryptionMode.SEV, false);
        final MemoryController mc = r.machine.controller();
        r.step(() -> mc.cpuWrite(PA, KeyId.GUEST, new byte[LINE], 0, LINE));
        r.step(() -> mc.write(PA, KeyId.NONE, new byte[LINE], 0, LINE));
        r.step(() -> mc.cpuWrite(PA, KeyId.GUEST, new byte[LINE], 0, LINE));

        r.step(() -> r.machine.cpuCache().wbinvd());

        assertThat(r.events(EventKind.CACHE_WRITEBACK)).hasSize(1);
        assertThat(r.violations).as("the last writer wins: nothing older went back").isEmpty();
    }

    @Test
    void shouldReportWhenAPartialStoreLeavesStaleBytesInTheLine() {
        final Run r = new Run(EncryptionMode.SEV, false);
        final MemoryController mc = r.machine.controller();
        r.step(() -> mc.cpuRead(PA, KeyId.GUEST, new byte[LINE], 0, LINE));
        r.step(() -> mc.write(PA, KeyId.NONE, new byte[LINE], 0, LINE));
        r.step(() -> mc.cpuWrite(PA + 8, KeyId.GUEST, new byte[8], 0, 8));

        r.step(() -> r.machine.cpuCache().wbinvd());

        assertThat(r.violations).singleElement().satisfies(v -> {
            assertThat(v.step()).isEqualTo(4);
            assertThat(v.message()).contains("wbinvd write-back").contains("replaced newer data (device/uncached write key none at step 2")
                    .contains("with the line's older copy (never written)");
        });
    }

    @Test
    void shouldReportTheSecondOfTwoDirtyAliasesWrittenBack() {
        final Run r = new Run(EncryptionMode.SEV, false);
        final MemoryController mc = r.machine.controller();
        r.step(() -> mc.cpuWrite(PA, KeyId.NONE, new byte[] {1}, 0, 1));
        r.step(() -> mc.cpuWrite(PA, KeyId.GUEST, new byte[] {2}, 0, 1));

        r.step(() -> r.machine.cpuCache().wbinvd());

        assertThat(r.violations).singleElement().satisfies(v -> assertThat(v.message())
                .contains("write-back of pa 0x300000 (key guest)")
                .contains("replaced newer data (CPU store key none at step 1"));
    }

    /**
     * Issue #16's false alarm, at the controller: the kernel's zero fill through the C=0 direct map stays
     * dirty; the user then rewrites the whole line through C=1; the zero line is written back after the
     * user's line was made, but its data is older (stored before), so the user's write-back that follows
     * destroys nothing.
     */
    @Test
    void shouldNotReportWhenAnOlderDirtyAliasReachesDramAfterTheNewerLineWasMade() {
        final Run r = new Run(EncryptionMode.SEV, false);
        final MemoryController mc = r.machine.controller();
        r.step(() -> mc.cpuWrite(PA, KeyId.NONE, new byte[LINE], 0, LINE));
        r.step(() -> mc.cpuWrite(PA, KeyId.GUEST, text("the newest data", LINE), 0, LINE));

        r.step(() -> r.machine.cpuCache().wbinvd());

        assertThat(r.events(EventKind.CACHE_WRITEBACK)).hasSize(2);
        assertThat(r.violations).as("the line stored last reaches DRAM last: nothing newer was lost").isEmpty();
    }

    @Test
    void shouldNotReportWhenTheStaleLineIsNeverWrittenBack() {
        final Run r = new Run(EncryptionMode.SEV, false, Injection.SKIP_CACHE_FLUSH);
        final long pa = r.page();
        r.step(() -> r.kernelWrite(pa, OLD));
        r.step(() -> r.kernel.directMap().setMemoryDecrypted(pa >>> Pte.PAGE_SHIFT, 1));
        r.step(() -> new DeviceDma(r.machine).write(pa, DEVICE, 0, DEVICE.length));

        assertThat(r.violations).isEmpty();
        assertThat(r.machine.cpuCache().isDirty(pa, KeyId.GUEST)).as("a latent hazard, not yet corruption").isTrue();
        assertThat(deviceRead(r, pa, DEVICE.length)).isEqualTo(DEVICE);
    }

    @Test
    void shouldNotReportSnoopWritebacksOfTheDevicesOwnTag() {
        final Run r = new Run(EncryptionMode.SEV, false);
        final long pa = r.page();
        r.step(() -> r.kernel.directMap().setMemoryDecrypted(pa >>> Pte.PAGE_SHIFT, 1));
        r.step(() -> r.kernelWrite(pa, OLD));
        r.step(() -> assertThat(deviceRead(r, pa, OLD_BYTES)).isEqualTo(OLD));
        r.step(() -> new DeviceDma(r.machine).write(pa + 5, DEVICE, 0, DEVICE.length));
        r.step(() -> r.machine.cpuCache().wbinvd());

        assertThat(r.events(EventKind.CACHE_WRITEBACK)).isNotEmpty();
        assertThat(r.violations).isEmpty();
        final byte[] expected = OLD.clone();
        System.arraycopy(DEVICE, 0, expected, 5, DEVICE.length);
        assertThat(r.kernelRead(pa, OLD_BYTES)).isEqualTo(expected);
    }
}
