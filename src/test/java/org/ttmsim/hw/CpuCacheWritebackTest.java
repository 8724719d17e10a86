package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests {@link CpuCacheWriteback}'s arithmetic on stamp progressions against counting term by term. */
class CpuCacheWritebackTest {
    @Test
    void shouldCountThePositiveTermsOfALineAsCountingOneByOneDoes() {
        for (long c = -300; c <= 300; c++) {
            for (long m = -40; m <= 40; m++) {
                int expected = 0;
                for (int j = 0; j < 64; j++) {
                    expected += c + m * j > 0 ? 1 : 0;
                }
                assertThat(CpuCacheWriteback.positiveTerms(c, m, 64)).as("c=%d m=%d", c, m).isEqualTo(expected);
            }
        }
    }
}
