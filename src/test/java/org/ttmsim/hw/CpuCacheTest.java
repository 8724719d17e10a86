package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tests {@link CpuCache} through the memory controller's CPU port (cached) and uncached port (device
 * DMA): hits and misses per tag, write-back under the tag's key, snooping by matching tag, LRU
 * eviction, clflush/wbinvd, SME_COHERENT, and the write stamps published with each write-back.
 */
class CpuCacheTest {
    private static final int LINE = EncryptionEngine.LINE;
    private static final int FRAME = PhysicalMemory.FRAME;
    private static final long PA = 0x20_0000L;

    // ---------------------------------------------------------------- helpers

    private static Machine machine(final EncryptionMode mode, final boolean coherent, final int lines) {
        return TestMachines.machine(mode).smeCoherent(coherent).cacheLines(lines).build();
    }

    private static Machine machine(final EncryptionMode mode) {
        return machine(mode, false, CpuCache.DEFAULT_LINES);
    }

    private static byte[] pattern(final int n, final int seed) {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8) + 1);
        }
        return b;
    }

    private static byte[] cpuRead(final Machine m, final long pa, final KeyId key, final int len) {
        final byte[] out = new byte[len];
        assertThat(m.controller().cpuRead(pa, key, out, 0, len)).isEqualTo(MemoryController.OK);
        return out;
    }

    private static void cpuWrite(final Machine m, final long pa, final KeyId key, final byte[] data) {
        assertThat(m.controller().cpuWrite(pa, key, data, 0, data.length)).isEqualTo(MemoryController.OK);
    }

    private static byte[] dmaRead(final Machine m, final long pa, final KeyId key, final int len) {
        final byte[] out = new byte[len];
        assertThat(m.controller().read(pa, key, out, 0, len)).isEqualTo(MemoryController.OK);
        return out;
    }

    private static byte[] raw(final Machine m, final long pa, final int len) {
        final byte[] out = new byte[len];
        m.hostRead(pa, out, 0, len);
        return out;
    }

    private static byte[] encrypted(final Machine m, final KeyId key, final long pa, final byte[] plain) {
        final byte[] out = new byte[plain.length];
        m.engine().encrypt(key, pa, plain, 0, out, 0, plain.length);
        return out;
    }

    private static List<Event> writebacks(final Machine m) {
        final List<Event> out = new ArrayList<>();
        for (final Event e : m.bus().log()) {
            if (e.kind() == EventKind.CACHE_WRITEBACK) {
                out.add(e);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- CPU path

    @Test
    void shouldHitWhenALoadFollowsAStoreUnderTheSameKey() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] data = pattern(200, 1);

        cpuWrite(m, PA + 10, KeyId.GUEST, data);

        assertThat(cpuRead(m, PA + 10, KeyId.GUEST, data.length)).isEqualTo(data);
        assertThat(m.cpuCache().isDirty(PA + 10, KeyId.GUEST)).isTrue();
        assertThat(m.memory().touchedFrames()).as("the store is still in the cache").isZero();
        assertThat(writebacks(m)).isEmpty();
    }

    @Test
    void shouldNotSeeTheDirtyDataWhenLoadedUnderAnotherKey() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] data = pattern(LINE, 2);
        cpuWrite(m, PA, KeyId.GUEST, data);

        final byte[] viaC0 = cpuRead(m, PA, KeyId.NONE, LINE);

        assertThat(viaC0).as("the C=0 alias fills from DRAM, which never saw the store").containsOnly(0);
        assertThat(m.cpuCache().holds(PA, KeyId.GUEST)).isTrue();
        assertThat(m.cpuCache().holds(PA, KeyId.NONE)).isTrue();
        assertThat(m.cpuCache().validLines()).isEqualTo(2);
    }

    @Test
    void shouldWriteBackEncryptedWithTheLinesKeyWhenFlushed() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] data = pattern(2 * LINE, 3);
        cpuWrite(m, PA, KeyId.GUEST, data);

        m.cpuCache().flushPages(PA >>> Pte.PAGE_SHIFT, 1);

        assertThat(raw(m, PA, data.length)).isEqualTo(encrypted(m, KeyId.GUEST, PA, data));
        assertThat(m.cpuCache().validLines()).isZero();
        assertThat(m.cpuCache().dirtyLines()).isZero();
        final List<Event> wb = writebacks(m);
        assertThat(wb).hasSize(1);
        assertThat(wb.get(0).pfn()).isEqualTo(PA >>> Pte.PAGE_SHIFT);
        assertThat(wb.get(0).key()).isEqualTo(KeyId.GUEST);
        assertThat(wb.get(0).detail()).startsWith("clflush wrote back 2 dirty lines in +0x0..+0x7f");
    }

    @Test
    void shouldFillThePartialLineFromDramWhenAStoreCoversOnlyPartOfIt() {
        final Machine m = machine(EncryptionMode.SME);
        final byte[] line = pattern(LINE, 4);
        m.controller().write(PA, KeyId.HOST, line, 0, LINE);

        cpuWrite(m, PA + 5, KeyId.HOST, new byte[] {(byte) 0xee});
        m.cpuCache().wbinvd();

        final byte[] expected = line.clone();
        expected[5] = (byte) 0xee;
        assertThat(raw(m, PA, LINE)).isEqualTo(encrypted(m, KeyId.HOST, PA, expected));
    }

    @Test
    void shouldNotMaterialiseFramesWhenUntouchedMemoryIsLoaded() {
        final Machine m = machine(EncryptionMode.SME);

        assertThat(cpuRead(m, PA, KeyId.NONE, FRAME)).containsOnly(0);
        assertThat(cpuRead(m, PA, KeyId.HOST, LINE)).isNotEqualTo(new byte[LINE]);
        m.cpuCache().wbinvd();

        assertThat(m.memory().touchedFrames()).isZero();
        assertThat(writebacks(m)).isEmpty();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedLineWhenTheSetIsFull() {
        // 8 lines, 8 ways: one set, so every line competes.
        final Machine m = machine(EncryptionMode.NONE, false, 8);
        for (int i = 0; i < 8; i++) {
            cpuWrite(m, PA + (long) i * FRAME, KeyId.NONE, pattern(LINE, i));
        }
        cpuRead(m, PA, KeyId.NONE, LINE); // line 0 becomes the most recently used

        cpuWrite(m, PA + 8L * FRAME, KeyId.NONE, pattern(LINE, 8));

        final List<Event> wb = writebacks(m);
        assertThat(wb).hasSize(1);
        assertThat(wb.get(0).pfn()).as("line 1 was the least recently used").isEqualTo((PA >>> 12) + 1);
        assertThat(wb.get(0).detail()).startsWith("eviction wrote back 1 dirty line");
        assertThat(raw(m, PA + FRAME, LINE)).isEqualTo(pattern(LINE, 1));
        assertThat(m.cpuCache().holds(PA, KeyId.NONE)).isTrue();
    }

    @Test
    void shouldEvictInTheSameOrderWhenTheSameAccessesRepeat() {
        final List<String> first = streamAndTrace();
        final List<String> second = streamAndTrace();

        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    private static List<String> streamAndTrace() {
        final Machine m = machine(EncryptionMode.SEV);
        for (int p = 0; p < 20; p++) {
            cpuWrite(m, PA + (long) p * FRAME + 7, KeyId.GUEST, pattern(FRAME - 100, p));
            cpuRead(m, PA + (long) (p / 2) * FRAME, KeyId.NONE, 300);
        }
        return writebacks(m).stream().map(Event::traceLine).toList();
    }

    @Test
    void shouldPublishOneWritebackEventPerPageWhenStreamingThroughTheCache() {
        final Machine m = machine(EncryptionMode.SEV);
        final int pages = 64;

        cpuWrite(m, PA, KeyId.GUEST, pattern(pages * FRAME, 5));

        final int cachedPages = CpuCache.DEFAULT_LINES / (FRAME / LINE);
        assertThat(writebacks(m)).hasSize(pages - cachedPages);
        assertThat(m.cpuCache().dirtyLines()).isEqualTo(CpuCache.DEFAULT_LINES);
        assertThat(cpuRead(m, PA, KeyId.GUEST, pages * FRAME)).isEqualTo(pattern(pages * FRAME, 5));
    }

    // ---------------------------------------------------------------- device path (snoop by matching tag)

    @Test
    void shouldSeeADirtyLineOfTheSameTagWhenADeviceReads() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] data = pattern(100, 6);
        cpuWrite(m, PA, KeyId.NONE, data);

        assertThat(dmaRead(m, PA, KeyId.NONE, data.length)).isEqualTo(data);
        assertThat(m.cpuCache().holds(PA, KeyId.NONE)).as("snooped lines stay, clean").isTrue();
        assertThat(m.cpuCache().isDirty(PA, KeyId.NONE)).isFalse();
        assertThat(writebacks(m)).singleElement().satisfies(e -> assertThat(e.detail()).startsWith("snoop"));
    }

    @Test
    void shouldNotSnoopALineUnderAnotherKeyWhenADeviceReads() {
        final Machine m = machine(EncryptionMode.SME);
        cpuWrite(m, PA, KeyId.HOST, pattern(LINE, 7));

        assertThat(dmaRead(m, PA, KeyId.NONE, LINE)).containsOnly(0);
        assertThat(m.cpuCache().isDirty(PA, KeyId.HOST)).isTrue();
    }

    @Test
    void shouldSnoopWithTheHostKeyWhenAnSmeDeviceUsesTheCBit() {
        final Machine m = machine(EncryptionMode.SME);
        final byte[] data = pattern(LINE, 8);
        cpuWrite(m, PA, KeyId.HOST, data);

        assertThat(dmaRead(m, PA, KeyId.HOST, LINE)).isEqualTo(data);
        assertThat(raw(m, PA, LINE)).isEqualTo(encrypted(m, KeyId.HOST, PA, data));
    }

    @Test
    void shouldDropTheMatchingLineWhenADeviceWritesItWhole() {
        final Machine m = machine(EncryptionMode.SEV);
        cpuWrite(m, PA, KeyId.NONE, pattern(LINE, 9));
        final byte[] dev = pattern(LINE, 10);

        m.controller().write(PA, KeyId.NONE, dev, 0, LINE);

        assertThat(m.cpuCache().holds(PA, KeyId.NONE)).isFalse();
        assertThat(writebacks(m)).as("a whole-line DMA write needs no write-back").isEmpty();
        assertThat(cpuRead(m, PA, KeyId.NONE, LINE)).isEqualTo(dev);
    }

    @Test
    void shouldMergeWithTheDirtyLineWhenADeviceWritesPartOfIt() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] cpu = pattern(LINE, 11);
        cpuWrite(m, PA, KeyId.NONE, cpu);

        m.controller().write(PA + 3, KeyId.NONE, new byte[] {1, 2}, 0, 2);

        final byte[] expected = cpu.clone();
        expected[3] = 1;
        expected[4] = 2;
        assertThat(cpuRead(m, PA, KeyId.NONE, LINE)).isEqualTo(expected);
        assertThat(raw(m, PA, LINE)).isEqualTo(expected);
    }

    @Test
    void shouldLetAStaleLineOverwriteDeviceDataWhenItsKeyDiffers() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] old = pattern(LINE, 12);
        final byte[] dev = pattern(LINE, 13);
        cpuWrite(m, PA, KeyId.GUEST, old);
        m.controller().write(PA, KeyId.NONE, dev, 0, LINE);
        assertThat(raw(m, PA, LINE)).isEqualTo(dev);

        m.cpuCache().wbinvd();

        assertThat(raw(m, PA, LINE)).isEqualTo(encrypted(m, KeyId.GUEST, PA, old));
        assertThat(dmaRead(m, PA, KeyId.NONE, LINE)).isNotEqualTo(dev);
        final CpuCacheWriteback wb = m.cpuCache().lastWriteback();
        assertThat(wb.lines()).isEqualTo(1);
        assertThat(CpuCacheStamp.writer(wb.dramBefore(0))).isEqualTo(CpuCacheStamp.Writer.UNCACHED);
        assertThat(CpuCacheStamp.key(wb.dramBefore(0))).isEqualTo(KeyId.NONE);
        assertThat(CpuCacheStamp.seq(wb.dramBefore(0))).isGreaterThan(CpuCacheStamp.seq(wb.lineBase(0)));
        assertThat(CpuCacheStamp.writer(wb.lineStore(0))).isEqualTo(CpuCacheStamp.Writer.CPU_STORE);
        assertThat(m.controller().dramStamp(PA)).as("DRAM now holds data as old as the line's store")
                .isEqualTo(wb.lineStore(0));
    }

    @Test
    void shouldFindEveryLineStaleWhenAWholeFrameAliasStoredEarlierIsEvictedAfterOneStoredLater() {
        final Machine m = machine(EncryptionMode.SEV);
        final List<int[]> stale = new ArrayList<>(); // per write-back of PA's frame: stale lines, first stale
        m.bus().subscribe(EventBus.Listener.of(e -> {
            final CpuCacheWriteback wb = m.cpuCache().lastWriteback();
            if (e.kind() == EventKind.CACHE_WRITEBACK && wb.pfn() == PA >>> Pte.PAGE_SHIFT) {
                stale.add(new int[] {wb.lines(), wb.newerDramLines(), wb.firstNewerDramLine()});
            }
        }));
        cpuWrite(m, PA, KeyId.GUEST, new byte[FRAME]); // a clear through the private alias...
        cpuWrite(m, PA, KeyId.NONE, pattern(FRAME, 15)); // ...then the shared alias's data, stored later
        cpuRead(m, PA, KeyId.GUEST, FRAME); // the private alias is used again: now the newer in LRU order

        for (int f = 1; f <= CpuCache.MAX_WAYS; f++) { // other frames push both aliases out, shared first
            cpuWrite(m, PA + (long) f * FRAME, KeyId.GUEST, pattern(FRAME, f));
        }

        assertThat(stale).as("the shared alias goes back over nothing newer; the private one over all of it")
                .containsExactly(new int[] {64, 0, -1}, new int[] {64, 64, 0});
        assertThat(raw(m, PA, FRAME)).as("the older zeros won").isEqualTo(encrypted(m, KeyId.GUEST, PA,
                new byte[FRAME]));
    }

    // ---------------------------------------------------------------- SME_COHERENT, TDX

    @Test
    void shouldWriteBackTheOtherAliasFirstWhenCachesAreCoherent() {
        final Machine m = machine(EncryptionMode.SME, true, CpuCache.DEFAULT_LINES);
        final byte[] data = pattern(LINE, 14);
        cpuWrite(m, PA, KeyId.HOST, data);

        final byte[] viaC0 = cpuRead(m, PA, KeyId.NONE, LINE);

        assertThat(viaC0).as("the C=0 alias reads what DRAM holds: the ciphertext")
                .isEqualTo(encrypted(m, KeyId.HOST, PA, data));
        assertThat(m.cpuCache().holds(PA, KeyId.HOST)).isFalse();
        assertThat(writebacks(m)).singleElement().satisfies(e -> assertThat(e.detail()).startsWith("coherency"));
    }

    @Test
    void shouldLeaveAnotherKeysDirtyLineWhenADeviceWritesEvenWithCoherentCaches() {
        // d45829b351ee: "SME_COHERENT only support cache invalidation at CPU side. All confidential cache
        // lines are still incoherent with DMA devices."
        final Machine m = machine(EncryptionMode.SEV, true, CpuCache.DEFAULT_LINES);
        final byte[] old = pattern(LINE, 15);
        final byte[] dev = pattern(LINE, 16);
        cpuWrite(m, PA, KeyId.GUEST, old);

        m.controller().write(PA, KeyId.NONE, dev, 0, LINE);

        assertThat(m.cpuCache().isDirty(PA, KeyId.GUEST)).as("the device's write did not drop it").isTrue();
        assertThat(raw(m, PA, LINE)).isEqualTo(dev);
        m.cpuCache().wbinvd();
        assertThat(raw(m, PA, LINE)).as("written back over the device's data")
                .isEqualTo(encrypted(m, KeyId.GUEST, PA, old));
        final CpuCacheWriteback wb = m.cpuCache().lastWriteback();
        assertThat(CpuCacheStamp.newer(wb.dramBefore(0), wb.lineBase(0))).as("a stale write-back").isTrue();
    }

    @Test
    void shouldNotWriteBackAnotherKeysLineBeforeADeviceReadsEvenWithCoherentCaches() {
        final Machine m = machine(EncryptionMode.SEV, true, CpuCache.DEFAULT_LINES);
        cpuWrite(m, PA, KeyId.GUEST, pattern(LINE, 17));

        assertThat(dmaRead(m, PA, KeyId.NONE, LINE)).as("DRAM as it was: never written").containsOnly(0);
        assertThat(m.cpuCache().isDirty(PA, KeyId.GUEST)).isTrue();
        assertThat(writebacks(m)).isEmpty();
    }

    @Test
    void shouldSnoopEveryAliasWhenTheCpuItselfAccessesUncachedWithCoherentCaches() {
        final Machine m = machine(EncryptionMode.SME, true, CpuCache.DEFAULT_LINES);
        final byte[] data = pattern(LINE, 18);
        cpuWrite(m, PA, KeyId.HOST, data);
        final byte[] out = new byte[LINE];

        assertThat(m.controller().cpuUncachedRead(PA, KeyId.NONE, out, 0, LINE)).isEqualTo(MemoryController.OK);

        assertThat(out).as("the C=0 UC load sees DRAM after the HOST line went back")
                .isEqualTo(encrypted(m, KeyId.HOST, PA, data));
        m.controller().cpuUncachedWrite(PA + 1, KeyId.NONE, new byte[] {9}, 0, 1);
        assertThat(m.cpuCache().validLines()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EncryptionMode.class)
    void shouldTagByKeyOnTdxWhateverSmeCoherentSays(final EncryptionMode mode) {
        final Machine m = machine(mode, true, CpuCache.DEFAULT_LINES);

        assertThat(m.cpuCache().coherent()).isEqualTo(mode != EncryptionMode.TDX);
        assertThat(m.config().cachesCoherentAcrossAliases()).isEqualTo(mode != EncryptionMode.TDX);
    }

    // ---------------------------------------------------------------- functional views, config

    @Test
    void shouldShowOnlyDirtyPlaintextLinesWhenTheHostReadsSnooped() {
        final Machine m = machine(EncryptionMode.SEV);
        final byte[] secret = "guest secret in the clear".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        cpuWrite(m, PA + 60, KeyId.NONE, secret);
        cpuWrite(m, PA + 3 * LINE, KeyId.GUEST, pattern(LINE, 16));
        final long writeSeq = m.controller().writeSeq();
        final int events = m.bus().log().size();

        final byte[] snooped = new byte[4 * LINE];
        m.hostReadSnooped(PA, snooped, 0, snooped.length);

        assertThat(Arrays.copyOfRange(snooped, 60, 60 + secret.length)).isEqualTo(secret);
        assertThat(Arrays.copyOfRange(snooped, 3 * LINE, 4 * LINE)).containsOnly(0);
        assertThat(raw(m, PA, 4 * LINE)).containsOnly(0);
        assertThat(m.controller().writeSeq()).isEqualTo(writeSeq);
        assertThat(m.bus().log()).hasSize(events);
        assertThat(m.cpuCache().dirtyLines()).isEqualTo(3);
    }

    @Test
    void shouldRejectACacheSizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> machine(EncryptionMode.NONE, false, 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("machine.cache-lines must be a power of two in 1..1048576, found 500");
        assertThat(MachineConfig.defaults(EncryptionMode.NONE).cacheLines()).isEqualTo(CpuCache.DEFAULT_LINES);
        assertThat(machine(EncryptionMode.NONE, false, 1).cpuCache().ways()).isEqualTo(1);
    }
}
