package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests {@link PteTable}: sparse leaves, ordered visits, and clearing a range across leaves. */
class PteTableTest {
    private static List<Long> keys(final PteTable t) {
        final List<Long> out = new ArrayList<>();
        t.forEach((k, v) -> out.add(k));
        return out;
    }

    @Test
    void shouldVisitInKeyOrderWhenFilledOutOfOrder() {
        final PteTable t = new PteTable();
        t.put(5000, 1);
        t.put(3, 2);
        t.put(600, 3);

        assertThat(keys(t)).containsExactly(3L, 600L, 5000L);
    }

    @Test
    void shouldClearExactlyTheKeysInTheRangeWhenItSpansLeaves() {
        final PteTable t = new PteTable();
        for (final long k : new long[] {10, 511, 512, 1023, 1024, 2048, 4096}) {
            t.put(k, k + 1);
        }

        t.removeRange(511, 2048);

        assertThat(keys(t)).containsExactly(10L, 2048L, 4096L);
        assertThat(t.size()).isEqualTo(3);
        t.removeRange(0, Long.MAX_VALUE);
        assertThat(t.size()).isZero();
    }
}
