package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.pattern;

import org.junit.jupiter.api.Test;

/** Tests {@link PhysicalMemory}: sparse frames, raw bytes, the functional port. */
class PhysicalMemoryTest {
    private static final long GIB = MachineConfig.GIB;
    private static final int FRAME = PhysicalMemory.FRAME;
    private final PhysicalMemory memory = new PhysicalMemory(GIB, GIB, 256 * MachineConfig.MIB);

    @Test
    void shouldReadZerosWithoutMaterialisingWhenFrameWasNeverWritten() {
        final byte[] buf = pattern(100, 1);

        memory.read(0x1234, buf, 0, buf.length);

        assertThat(buf).containsOnly(0);
        assertThat(memory.touchedFrames()).isZero();
        assertThat(memory.frameIfPresent(1)).isNull();
    }

    @Test
    void shouldMaterialiseOneFramePerTouchedPageWhenWriteSpansFrames() {
        final byte[] data = pattern(FRAME + 200, 2);

        memory.write(3L * FRAME - 100, data, 0, data.length);

        assertThat(memory.touchedFrames()).isEqualTo(3);
        final byte[] back = new byte[data.length];
        memory.read(3L * FRAME - 100, back, 0, back.length);
        assertThat(back).isEqualTo(data);
    }

    @Test
    void shouldKeepBytesAroundAWriteWhenWritingInsideAFrame() {
        memory.write(0x2000, pattern(FRAME, 3), 0, FRAME);

        memory.write(0x2010, new byte[] {1, 2, 3}, 0, 3);

        final byte[] back = new byte[FRAME];
        memory.read(0x2000, back, 0, FRAME);
        final byte[] expected = pattern(FRAME, 3);
        expected[0x10] = 1;
        expected[0x11] = 2;
        expected[0x12] = 3;
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void shouldClassifyPfnAsRamOrVramWhenGivenTheLayout() {
        final long ramPages = GIB / FRAME;

        assertThat(memory.isRam(0)).isTrue();
        assertThat(memory.isRam(ramPages - 1)).isTrue();
        assertThat(memory.isRam(ramPages)).isFalse();
        assertThat(memory.isRam(-1)).isFalse();
        assertThat(memory.isVram(ramPages)).isTrue();
        assertThat(memory.isVram(ramPages + 256 * MachineConfig.MIB / FRAME - 1)).isTrue();
        assertThat(memory.isVram(ramPages + 256 * MachineConfig.MIB / FRAME)).isFalse();
        assertThat(memory.isVram(ramPages - 1)).isFalse();
    }

    @Test
    void shouldRejectFrameWhenAddressIsNeitherRamNorVram() {
        final long hole = (GIB + 256 * MachineConfig.MIB) / FRAME;

        assertThatThrownBy(() -> memory.frame(hole)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither RAM nor VRAM");
        assertThat(memory.touchedFrames()).isZero();
    }

    @Test
    void shouldHandOutTheSameArrayWhenAFrameIsAskedForTwice() {
        final byte[] first = memory.frame(7);

        assertThat(memory.frame(7)).isSameAs(first);
        assertThat(memory.frameIfPresent(7)).isSameAs(first);
        assertThat(memory.touchedFrames()).isEqualTo(1);
    }

    @Test
    void shouldCostNothingWhenATebibyteMachineIsUntouched() {
        final PhysicalMemory huge = new PhysicalMemory(1L << 40, 1L << 40, GIB);

        huge.read((1L << 40) - FRAME, new byte[FRAME], 0, FRAME);

        assertThat(huge.touchedFrames()).isZero();
        assertThat(huge.ramBytes()).isEqualTo(1L << 40);
        assertThat(huge.vramBase()).isEqualTo(1L << 40);
        assertThat(huge.vramBytes()).isEqualTo(GIB);
    }
}
