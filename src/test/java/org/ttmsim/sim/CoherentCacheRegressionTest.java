package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.builtin;
import static org.ttmsim.sim.SimFixtures.run;

import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.ScenarioException;

/**
 * Regression: with SME_COHERENT caches a store that first writes back another key's dirty alias must
 * be stamped after that write-back. It was stamped before, so the store's own later write-back looked
 * older than the data it replaced and cache-corruption was reported where the caches are coherent.
 */
class CoherentCacheRegressionTest {
    @Test
    void shouldReportNoCacheCorruptionWhenCachesAreCoherentAcrossAliases() throws ScenarioException {
        final RunResult r = run(builtin("16c-cache-alias-sme-coherent.yaml"), "always-decrypted", "sme");
        assertThat(r.violatedIds()).doesNotContain("cache-corruption");
    }

    @Test
    void shouldStillReportItWhenTheCachesAreNotCoherent() throws ScenarioException {
        final RunResult r = run(builtin("16-cache-alias-no-flush.yaml"), "pre-2019", "sev");
        assertThat(r.violatedIds()).contains("cache-corruption");
    }
}
