package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.hw.TestMachines.machine;
import static org.ttmsim.hw.TestMachines.pattern;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ttmsim.dma.Kernel;

/**
 * Tests {@link MemoryController}: the data path through the AES engine with the translation's key,
 * read-modify-write of partial lines, and the SEV-SNP / TDX integrity stop.
 */
class MemoryControllerTest {
    private static final int LINE = EncryptionEngine.LINE;
    private static final int FRAME = PhysicalMemory.FRAME;

    @ParameterizedTest
    @EnumSource(KeyId.class)
    void shouldReadBackWhatWasWrittenWhenTheSameKeyIsUsed(final KeyId key) {
        final Machine m = machine(EncryptionMode.SEV).build();
        final byte[] data = pattern(300, 1);

        assertThat(m.controller().write(0x10_0010L, key, data, 0, data.length)).isEqualTo(MemoryController.OK);

        assertThat(read(m, 0x10_0010L, key, data.length)).isEqualTo(data);
    }

    @Test
    void shouldStoreEngineCiphertextInDramWhenWrittenWithTheGuestKey() {
        final Machine m = machine(EncryptionMode.SEV).build();
        final byte[] plain = pattern(LINE, 2);
        final byte[] expected = new byte[LINE];
        m.engine().encrypt(KeyId.GUEST, 0x20_0000L, plain, 0, expected, 0, LINE);

        m.controller().write(0x20_0000L, KeyId.GUEST, plain, 0, LINE);

        final byte[] raw = new byte[LINE];
        m.hostRead(0x20_0000L, raw, 0, LINE);
        assertThat(raw).isEqualTo(expected).isNotEqualTo(plain);
    }

    @Test
    void shouldReturnGarbageWhenReadThroughAnotherKey() {
        final Machine m = machine(EncryptionMode.SEV).build();
        final byte[] plain = pattern(128, 3);
        m.controller().write(0x30_0000L, KeyId.GUEST, plain, 0, plain.length);
        final byte[] raw = new byte[plain.length];
        m.hostRead(0x30_0000L, raw, 0, raw.length);

        assertThat(read(m, 0x30_0000L, KeyId.NONE, plain.length)).isEqualTo(raw).isNotEqualTo(plain);
        assertThat(read(m, 0x30_0000L, KeyId.HOST, plain.length)).isNotEqualTo(plain).isNotEqualTo(raw);
        assertThat(read(m, 0x30_0000L, KeyId.GUEST, plain.length)).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(value = KeyId.class, names = {"HOST", "GUEST"})
    void shouldKeepTheRestOfTheLineWhenAPartialLineIsWritten(final KeyId key) {
        final Machine m = machine(EncryptionMode.SEV).build();
        final byte[] line = pattern(LINE, 4);
        m.controller().write(0x40_0000L, key, line, 0, LINE);
        final byte[] rawBefore = new byte[LINE];
        m.hostRead(0x40_0000L, rawBefore, 0, LINE);

        m.controller().write(0x40_0000L + 37, key, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}, 0, 3);

        final byte[] expected = line.clone();
        expected[37] = (byte) 0xaa;
        expected[38] = (byte) 0xbb;
        expected[39] = (byte) 0xcc;
        assertThat(read(m, 0x40_0000L, key, LINE)).isEqualTo(expected);
        final byte[] rawAfter = new byte[LINE];
        m.hostRead(0x40_0000L, rawAfter, 0, LINE);
        // Only the AES block holding bytes 32..47 was re-encrypted to something new.
        assertThat(Arrays.copyOfRange(rawAfter, 0, 32)).isEqualTo(Arrays.copyOfRange(rawBefore, 0, 32));
        assertThat(Arrays.copyOfRange(rawAfter, 32, 48)).isNotEqualTo(Arrays.copyOfRange(rawBefore, 32, 48));
        assertThat(Arrays.copyOfRange(rawAfter, 48, 64)).isEqualTo(Arrays.copyOfRange(rawBefore, 48, 64));
    }

    @Test
    void shouldMergeUnderTheWritersKeyWhenAPartialWriteUsesTheWrongKey() {
        final Machine m = machine(EncryptionMode.SEV).build();
        final byte[] line = pattern(LINE, 5);
        m.controller().write(0x50_0000L, KeyId.GUEST, line, 0, LINE);
        final byte[] rawBefore = new byte[LINE];
        m.hostRead(0x50_0000L, rawBefore, 0, LINE);

        m.controller().write(0x50_0000L + 2, KeyId.NONE, new byte[] {9}, 0, 1);

        // The controller read the line as plaintext (the ciphertext bytes), merged, wrote plaintext back.
        final byte[] rawAfter = new byte[LINE];
        m.hostRead(0x50_0000L, rawAfter, 0, LINE);
        final byte[] expected = rawBefore.clone();
        expected[2] = 9;
        assertThat(rawAfter).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(read(m, 0x50_0000L, KeyId.GUEST, LINE), 0, 16))
                .isNotEqualTo(Arrays.copyOfRange(line, 0, 16));
        assertThat(Arrays.copyOfRange(read(m, 0x50_0000L, KeyId.GUEST, LINE), 16, 64))
                .isEqualTo(Arrays.copyOfRange(line, 16, 64));
    }

    @Test
    void shouldCrossLinesAndFramesWhenAnUnalignedAccessSpansThem() {
        final Machine m = machine(EncryptionMode.SME).build();
        final byte[] data = pattern(FRAME + 3 * LINE + 5, 6);
        final long pa = 5L * FRAME - 2 * LINE - 7;

        m.controller().write(pa, KeyId.HOST, data, 0, data.length);

        assertThat(read(m, pa, KeyId.HOST, data.length)).isEqualTo(data);
        assertThat(m.memory().touchedFrames()).isEqualTo(3);
    }

    @Test
    void shouldReadZerosAsPlaintextAndGarbageAsPrivateWhenTheFrameIsUntouched() {
        final Machine m = machine(EncryptionMode.SME).build();

        assertThat(read(m, 0x60_0000L, KeyId.NONE, LINE)).containsOnly(0);
        assertThat(read(m, 0x60_0000L, KeyId.HOST, LINE)).isNotEqualTo(new byte[LINE]);
        assertThat(m.memory().touchedFrames()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV_SNP", "TDX"})
    void shouldStopAPrivateAccessToASharedFrameWhenTheHardwareHasIntegrity(final EncryptionMode mode) {
        final Machine m = machine(mode).build();
        final long pfn = 0x700;
        m.frameStates().markShared(pfn);
        m.controller().write(pfn << 12, KeyId.NONE, pattern(LINE, 7), 0, LINE);
        final byte[] rawBefore = raw(m, pfn << 12, LINE);

        assertThat(m.controller().read(pfn << 12, KeyId.GUEST, new byte[LINE], 0, LINE))
                .isEqualTo(MemoryController.GUEST_FATAL);
        assertThat(m.controller().write(pfn << 12, KeyId.GUEST, new byte[LINE], 0, LINE))
                .isEqualTo(MemoryController.GUEST_FATAL);
        assertThat(raw(m, pfn << 12, LINE)).isEqualTo(rawBefore);
        assertThat(read(m, pfn << 12, KeyId.NONE, LINE)).isEqualTo(pattern(LINE, 7));
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionMode.class, names = {"SEV_SNP", "TDX"})
    void shouldStopAPlaintextAccessToAPrivateFrameWhenTheHardwareHasIntegrity(final EncryptionMode mode) {
        final Machine m = machine(mode).build();
        final long pa = 0x800L << 12;
        m.controller().write(pa, KeyId.GUEST, pattern(LINE, 8), 0, LINE);

        assertThat(m.controller().read(pa, KeyId.NONE, new byte[LINE], 0, LINE))
                .isEqualTo(MemoryController.GUEST_FATAL);
        assertThat(m.controller().write(pa + 8, KeyId.NONE, new byte[4], 0, 4))
                .isEqualTo(MemoryController.GUEST_FATAL);
        assertThat(read(m, pa, KeyId.GUEST, LINE)).isEqualTo(pattern(LINE, 8));
    }

    @Test
    void shouldReturnGarbageInsteadOfStoppingWhenPlainSevHasNoIntegrity() {
        final Machine m = machine(EncryptionMode.SEV).build();
        final long sharedPa = 0x900L << 12;
        final long privatePa = 0xa00L << 12;
        m.frameStates().markShared(0x900);
        m.controller().write(sharedPa, KeyId.NONE, pattern(LINE, 9), 0, LINE);
        m.controller().write(privatePa, KeyId.GUEST, pattern(LINE, 10), 0, LINE);

        final byte[] privateView = new byte[LINE];
        final byte[] plainView = new byte[LINE];
        assertThat(m.controller().read(sharedPa, KeyId.GUEST, privateView, 0, LINE)).isEqualTo(MemoryController.OK);
        assertThat(m.controller().read(privatePa, KeyId.NONE, plainView, 0, LINE)).isEqualTo(MemoryController.OK);

        assertThat(privateView).isNotEqualTo(pattern(LINE, 9));
        assertThat(plainView).isNotEqualTo(pattern(LINE, 10)).isEqualTo(raw(m, privatePa, LINE));
    }

    @Test
    void shouldAllowEveryAccessWhenTheMachineIsNotAGuest() {
        final Machine m = machine(EncryptionMode.SME).build();

        assertThat(m.controller().integrityAllows(0x10, KeyId.HOST)).isTrue();
        assertThat(m.controller().integrityAllows(0x10, KeyId.NONE)).isTrue();
    }

    @Test
    void shouldMaterialiseExactly16384FramesWhen64MiBAreWrittenOnA1TiBMachine() {
        final Machine m = TestMachines.machine(EncryptionMode.SEV).cbit(51).ram(1L << 40).keepLog(false).build();
        final Kernel k = new Kernel(m);
        assertThat(k.swiotlb().bytes()).as("6% of 1 TiB, capped").isEqualTo(MachineConfig.GIB);
        assertThat(m.memory().touchedFrames()).isZero();

        final byte[] chunk = pattern(1 << 20, 11);
        final long base = 600L << 30;
        for (int i = 0; i < 64; i++) {
            assertThat(m.controller().write(base + ((long) i << 20), KeyId.GUEST, chunk, 0, chunk.length))
                    .isEqualTo(MemoryController.OK);
        }

        assertThat(m.memory().touchedFrames()).isEqualTo(16384);
        assertThat(read(m, base + (63L << 20), KeyId.GUEST, 4096)).isEqualTo(Arrays.copyOf(chunk, 4096));
    }

    private static byte[] read(final Machine m, final long pa, final KeyId key, final int len) {
        final byte[] out = new byte[len];
        assertThat(m.controller().read(pa, key, out, 0, len)).isEqualTo(MemoryController.OK);
        return out;
    }

    private static byte[] raw(final Machine m, final long pa, final int len) {
        final byte[] out = new byte[len];
        m.hostRead(pa, out, 0, len);
        return out;
    }
}
