package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.parse;
import static org.ttmsim.sim.SimFixtures.run;
import static org.ttmsim.sim.SimFixtures.step;

import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Scenario;

/**
 * What field reports need (issue #13), run on the model: repeated blocks, targeted injections, the
 * host as a writer, a plain page-allocator user, SWIOTLB at boot, devices outside the DMA API,
 * segment limits and probe refusals.
 */
final class FieldCapabilitiesTest {

    @Test
    void shouldNameTheSourceLineOfEveryExpandedStep() throws Exception {
        final Scenario s = parse("f.yaml", """
                name: t
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - repeat:
                      times: 2
                      steps:
                        - kmap-write: {bo: A, data: "x"}
                  - kmap-read: {bo: A, expect: "x"}
                """);

        final RunResult r = run(s, null, null);

        assertThat(r.steps()).extracting(StepResult::source)
                .containsExactly("f.yaml:3", "f.yaml:7", "f.yaml:7", "f.yaml:8");
        assertThat(r.steps()).extracting(StepResult::index).containsExactly(1, 2, 3, 4);
        assertThat(org.ttmsim.report.ResultJson.toMap(r).toString()).contains("source=f.yaml:7");
    }

    /**
     * Two moves of a mapped buffer. The create's first placement is a move too
     * ({@code ttm_bo_handle_move_mem()} from no resource), so the moves are occurrences 2 and 3.
     */
    private static final String TWO_MOVES = """
            name: t
            inject: [%s]
            steps:
              - create: {bo: A, size: 4KiB, placement: [tt]}
              - mmap: {bo: A, as: a}
              - cpu-write: {map: a, data: "one"}
              - validate: {bo: A, placement: [vram]}
              - cpu-read: {map: a, expect: "one"}
              - validate: {bo: A, placement: [tt]}
              - cpu-read: {map: a, expect: "one"}
            """;

    @Test
    void shouldFireAnInjectionOnlyAtItsNthOccurrence() throws Exception {
        final RunResult second = run(parse("f.yaml", TWO_MOVES.formatted("{id: skip-zap-on-move, nth: 3}")),
                null, null);
        final RunResult every = run(parse("f.yaml", TWO_MOVES.formatted("skip-zap-on-move")), null, null);

        assertThat(second.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .contains("stale-mapping@6").doesNotContain("stale-mapping@4");
        assertThat(every.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .contains("stale-mapping@4");
    }

    @Test
    void shouldFireAnInjectionOnlyWithinItsStepRange() throws Exception {
        final RunResult r = run(parse("f.yaml", TWO_MOVES.formatted(
                "{id: skip-zap-on-move, from-step: 4, to-step: 4}")), null, null);

        assertThat(r.violations()).extracting(v -> v.invariant().id() + "@" + v.step())
                .contains("stale-mapping@4");
        assertThat(r.steps()).extracting(StepResult::result).containsOnly("ok");
    }
}
