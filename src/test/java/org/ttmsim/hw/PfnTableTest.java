package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests {@link PfnTable}: leaves and directories made on demand, and the memo of an absent directory. */
class PfnTableTest {
    @Test
    void shouldFindEveryFrameWhenPutAcrossLeavesAndDirectories() {
        final PfnTable<String> t = new PfnTable<>();
        final long[] pfns = {0, 63, 64, 4095, 4096, 1L << 28, (1L << 40) + 7};
        for (final long pfn : pfns) {
            t.put(pfn, "f" + pfn);
        }

        for (final long pfn : pfns) {
            assertThat(t.get(pfn)).isEqualTo("f" + pfn);
        }
        assertThat(t.get(1)).isNull();
        assertThat(t.get(4097)).isNull();
        assertThat(t.size()).isEqualTo(pfns.length);
    }

    @Test
    void shouldSeeAFrameWhenItsDirectoryWasLookedUpAbsentBefore() {
        final PfnTable<String> t = new PfnTable<>();
        t.put(5, "a");
        assertThat(t.get(9000)).isNull(); // remembers directory 2 as absent
        assertThat(t.get(5)).isEqualTo("a"); // moves the memo back to directory 0

        assertThat(t.get(9001)).isNull();
        t.put(9000, "b");

        assertThat(t.get(9000)).isEqualTo("b");
        assertThat(t.get(9001)).isNull();
        assertThat(t.get(5)).isEqualTo("a");
        t.put(5, "c");
        assertThat(t.get(5)).isEqualTo("c");
        assertThat(t.size()).isEqualTo(2);
    }
}
