package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code expect.cases}: per design and mode expectations, docs/SCENARIOS.md. */
class ExpectCasesTest {
    private static final String BASE = "name: t\nsteps:\n  - create: {bo: A, size: 4KiB, placement: [tt]}\n";

    private static Scenario parse(final String text) throws ScenarioException {
        return new ScenarioParser(Set.of()).parse("t.yaml", text);
    }

    @Test
    void shouldReadCasesWithSingleAndListedDesignsAndModes() throws ScenarioException {
        final Scenario s = parse(BASE + "expect:\n  cases:\n"
                + "    - {design: pre-2019, mode: [sev, sev-snp], violations: [cpu-garbage], note: F1}\n"
                + "    - {design: [upstream-2024, v2-per-fault], violations: []}\n");
        assertThat(s.expect().cases()).hasSize(2);
        assertThat(s.expect().caseFor("pre-2019", "sev", "v6.9").violations()).containsExactly("cpu-garbage");
        assertThat(s.expect().caseFor("pre-2019", "sev", "v6.9").note()).isEqualTo("F1");
        assertThat(s.expect().caseFor("pre-2019", "none", "v6.9")).isNull();
        assertThat(s.expect().caseFor("v2-per-fault", "tdx", "v6.9").violations()).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownDesignInACaseWithItsPosition() {
        assertThatThrownBy(() -> parse(BASE + "expect:\n  cases:\n    - {design: pre2019, violations: []}\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("t.yaml:6:")
                .hasMessageContaining("pre-2019");
    }

    @Test
    void shouldRequireViolationsInACase() {
        assertThatThrownBy(() -> parse(BASE + "expect:\n  cases:\n    - {design: pre-2019}\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("violations");
    }
}
