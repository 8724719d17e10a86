package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Data;

/**
 * Large accesses through the library, end to end (seconds, so part of {@code mvn verify}): nothing but the
 * buffer bounds an access, and a read's result keeps only the bytes asked for.
 */
class SessionLargeAccessIT {
    /**
     * No limit the kernel does not have: a 64 MiB buffer on a 1 TiB machine, written end to end by the device
     * with one fill and read back end to end by the CPU against one fill (both two numbers, never spelled
     * out). The read is judged and compared over all 64 MiB; its result keeps the first page only, unless
     * the context asks for more.
     */
    @Test
    void shouldTouchA64MiBBufferEndToEndOnA1TiBMachineKeepingOnlyThePageAsked() {
        final long size = 64L << 20;
        final Session s = Session.open(new Context().ram(1L << 40));
        s.create("A", size, "tt");
        s.mmap("A", "a");

        assertThat(s.deviceWrite("A", 0, Data.fill(0x5a, size)).ok()).isTrue();
        final SteppedRun.Outcome read = s.cpuRead("a", 0, Data.fill(0x5a, size));

        assertThat(read.ok()).isTrue();
        assertThat(read.result().held()).isTrue();
        assertThat(read.result().dataLength()).isEqualTo(size);
        assertThat(read.data()).hasSize(StepResult.MAX_DATA_BYTES).containsOnly((byte) 0x5a);
        assertThat(read.result().truncated()).isTrue();
        assertThat(s.violations()).isEmpty();
        assertThat(s.internals().machine().memory().touchedFrames()).as("frames materialised: the buffer's, no more"
                + " than a few besides").isBetween((int) (size >> 12), (int) (size >> 12) + 64);

        final Session all = Session.open(new Context().readBytesKept(1 << 20).ram(1L << 30));
        all.create("B", 3 * 4096, "tt");
        all.kmapWrite("B", 0, Data.fill(7, 3 * 4096));
        assertThat(all.kmapRead("B", 0, 3 * 4096).data()).hasSize(3 * 4096).containsOnly((byte) 7);
    }

}
