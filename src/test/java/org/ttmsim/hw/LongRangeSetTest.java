package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Tests {@link LongRangeSet} against a {@link TreeSet}, and that it stays as few ranges as it can. */
class LongRangeSetTest {

    @Test
    void shouldKeepOneRangeWhenABlockIsAddedWhole() {
        final LongRangeSet s = new LongRangeSet();
        s.addRange(0x400, 0x400 + (1 << 18));

        assertThat(s.ranges()).isEqualTo(1);
        assertThat(s.contains(0x3ff)).isFalse();
        assertThat(s.contains(0x400)).isTrue();
        assertThat(s.contains(0x400 + (1 << 18) - 1)).isTrue();
        assertThat(s.contains(0x400 + (1 << 18))).isFalse();
    }

    @Test
    void shouldMergeAdjacentRangesWhenTheGapIsFilled() {
        final LongRangeSet s = new LongRangeSet();
        s.addRange(10, 20);
        s.addRange(30, 40);
        s.addRange(50, 60);
        assertThat(s.ranges()).isEqualTo(3);

        s.addRange(20, 30);
        assertThat(s.ranges()).isEqualTo(2);
        assertThat(s.add(40)).isTrue();
        assertThat(s.add(40)).isFalse();
        s.addRange(41, 50);
        assertThat(s.ranges()).isEqualTo(1);
        assertThat(s.contains(9)).isFalse();
        assertThat(s.contains(59)).isTrue();
        assertThat(s.contains(60)).isFalse();
    }

    @Test
    void shouldSplitARangeWhenAMiddleValueIsRemoved() {
        final LongRangeSet s = new LongRangeSet();
        s.addRange(0, 10);

        assertThat(s.remove(5)).isTrue();
        assertThat(s.remove(5)).isFalse();
        assertThat(s.ranges()).isEqualTo(2);
        assertThat(s.contains(4)).isTrue();
        assertThat(s.contains(5)).isFalse();
        assertThat(s.contains(6)).isTrue();
        assertThat(s.remove(0)).isTrue();
        assertThat(s.remove(9)).isTrue();
        assertThat(s.remove(4)).isTrue();
        assertThat(s.contains(0)).isFalse();
        assertThat(s.contains(1)).isTrue();
        assertThat(s.contains(9)).isFalse();
    }

    @Test
    void shouldAgreeWithATreeSetWhenValuesAreAddedAndRemovedAtRandom() {
        final SplittableRandom rnd = new SplittableRandom(7);
        final LongRangeSet s = new LongRangeSet();
        final TreeSet<Long> ref = new TreeSet<>();
        for (int i = 0; i < 20_000; i++) {
            final long v = rnd.nextInt(300);
            switch (rnd.nextInt(3)) {
                case 0:
                    assertThat(s.add(v)).isEqualTo(ref.add(v));
                    break;
                case 1:
                    assertThat(s.remove(v)).isEqualTo(ref.remove(v));
                    break;
                default:
                    final long end = v + rnd.nextInt(12);
                    s.addRange(v, end);
                    for (long x = v; x < end; x++) {
                        ref.add(x);
                    }
                    break;
            }
            if (i % 97 == 0) {
                for (long x = -1; x <= 312; x++) {
                    assertThat(s.contains(x)).as("%d after %d operations", x, i).isEqualTo(ref.contains(x));
                }
                assertThat(s.ranges()).isEqualTo(runs(ref));
            }
        }
    }

    /** Maximal runs of consecutive values: what the set must be made of. */
    private static int runs(final TreeSet<Long> ref) {
        int runs = 0;
        Long prev = null;
        for (final Long v : ref) {
            if (prev == null || v != prev + 1) {
                runs++;
            }
            prev = v;
        }
        return runs;
    }
}
