package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code repeat:} blocks (docs/SCENARIOS.md): expanded in place, each step with its own index and its block's line. */
final class RepeatTest {

    private final ScenarioParser parser = new ScenarioParser(ScenarioParserTest.COSTS);

    private Scenario parse(final String text) throws ScenarioException {
        return parser.parse("r.yaml", text);
    }

    @Test
    void shouldExpandABlockInPlaceWithConsecutiveIndexesAndTheBlocksLines() throws Exception {
        final Scenario s = parse("""
                name: t
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - repeat:
                      times: 3
                      steps:
                        - validate: {bo: A, placement: []}
                        - validate: {bo: A, placement: [tt]}
                  - destroy: {bo: A}
                """);

        assertThat(s.steps()).extracting(Step::index).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(s.steps()).extracting(Step::op).containsExactly("create", "validate", "validate", "validate",
                "validate", "validate", "validate", "destroy");
        assertThat(s.steps()).extracting(st -> st.pos().line()).containsExactly(3, 7, 8, 7, 8, 7, 8, 9);
    }

    @Test
    void shouldNestBlocksAndMultiplyTheirTimes() throws Exception {
        final Scenario s = parse("""
                name: t
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - repeat:
                      times: 4
                      steps:
                        - repeat: {times: 5, steps: [{evict: {bo: A}}]}
                        - validate: {bo: A, placement: [tt]}
                """);

        assertThat(s.steps()).hasSize(1 + 4 * (5 + 1));
        assertThat(s.steps().get(6)).isInstanceOf(Step.Validate.class);
        assertThat(s.steps().get(7)).isInstanceOf(Step.Evict.class);
    }

    @Test
    void shouldLetABlockCreateAndDestroyOrMapAndUnmapTheSameNames() throws Exception {
        final Scenario s = parse("""
                name: t
                steps:
                  - repeat:
                      times: 2
                      steps:
                        - create: {bo: A, size: 4KiB, placement: [tt]}
                        - mmap: {bo: A, as: a}
                        - cpu-write: {map: a, data: "x"}
                        - munmap: {map: a}
                        - destroy: {bo: A}
                """);

        assertThat(s.steps()).hasSize(10);
    }

    @Test
    void shouldShareTheBytesOfRepeatedDataAndCountThemOnce() throws Exception {
        // 100,000 writes of 4 KiB would be 400 MiB, above the 256 MiB a file may spell out, if counted each time.
        final Scenario s = parse("""
                name: t
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - repeat:
                      times: 100000
                      steps:
                        - kmap-write: {bo: A, data: {fill: 0xAA, length: 4KiB}}
                """);

        final List<Step> steps = s.steps();
        assertThat(steps).hasSize(100_001);
        assertThat(((Step.Write) steps.get(1)).data()).isSameAs(((Step.Write) steps.get(100_000)).data());
    }

    @Test
    void shouldSayWhichIterationBrokeANameRule() {
        assertThatThrownBy(() -> parse("""
                name: t
                steps:
                  - create: {bo: A, size: 4KiB, placement: [tt]}
                  - repeat:
                      times: 3
                      steps:
                        - mmap: {bo: A, as: a}
                """)).isInstanceOf(ScenarioException.class)
                .hasMessage("r.yaml:7:29: steps[2].repeat.steps[1].mmap.as: mapping 'a' is already defined (by step"
                        + " 2 at line 7); give each mmap its own name, or munmap it first (in iteration 2 of the repeat"
                        + " at line 4)");
    }
}
