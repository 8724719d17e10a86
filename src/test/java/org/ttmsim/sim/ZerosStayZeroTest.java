package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ttmsim.hw.Zeros;

/**
 * The shared array every clear stores from ({@link Zeros}) is still all zeros after scenarios that clear,
 * convert, read back and write pages through every road: the CPU cache takes a frame stored from it as
 * zeros without looking, so one write into it would make every later clear lie.
 */
class ZerosStayZeroTest {
    @Test
    void shouldLeaveTheSharedZerosAllZeroWhenScenariosClearAndWritePages() {
        for (final String id : new String[] {"11-pool-caching-sev", "24c-cost-accounting-sme-coherent",
                "16-cache-alias-no-flush", "01-sev-device-writes-user-reads", "31-field-c4-tdx-refused-conversion"}) {
            for (final String mode : new String[] {"none", "sme", "sev", "tdx"}) {
                final RunResult r = ScenarioRunner.run(BuiltinScenarios.byId(id),
                        new RunOptions("upstream-2024", mode, null, false, 0));
                assertThat(r.verdict()).as("%s %s", id, mode).isNotEqualTo("error");
            }
        }
        final byte[] shared = Zeros.atLeast(4096);
        assertThat(Zeros.atLeast(2 << 20)).isSameAs(shared);
        assertThat(shared).containsOnly(0);
    }
}
