package org.ttmsim.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.BuiltinScenarios;

/** What StepYaml writes, the scenario parser reads back as the same steps and configuration. */
class StepYamlTest {
    @Test
    void shouldReadBackEveryStepOfTheBuiltInLibraryAsTheSameRecord() throws ScenarioException {
        int steps = 0;
        for (final Scenario s : BuiltinScenarios.all()) {
            final StringBuilder sb = new StringBuilder("name: round-trip\n");
            sb.append(StepYaml.configuration(s, s.design(), s.machine().encryption(), s.kernel()));
            sb.append("steps:\n");
            for (final Step step : s.steps()) {
                sb.append("  - ").append(StepYaml.step(step)).append('\n');
            }
            final Scenario back = BuiltinScenarios.parser().parse("round-trip", sb.toString());
            assertThat(back.machine()).as(s.name()).isEqualTo(s.machine());
            assertThat(back.device()).as(s.name()).isEqualTo(s.device());
            assertThat(back.inject()).isEqualTo(s.inject());
            assertThat(withoutMeta(back.steps())).as(s.name()).isEqualTo(withoutMeta(s.steps()));
            steps += s.steps().size();
        }
        assertThat(steps).isGreaterThan(500);
    }

    @Test
    void shouldWriteDataAsTextFillOrHex() {
        assertThat(StepYaml.data(org.ttmsim.scenario.Data.ofString("frame \"1\""))).isEqualTo("\"frame \\\"1\\\"\"");
        assertThat(StepYaml.data(org.ttmsim.scenario.Data.fill(0xAA, 4096))).isEqualTo("{fill: 0xAA, length: 4096}");
        assertThat(StepYaml.data(org.ttmsim.scenario.Data.ofHex("00ff"))).isEqualTo("{hex: \"00ff\"}");
        assertThat(StepYaml.word("true")).isEqualTo("\"true\"");
        assertThat(StepYaml.size(65536)).isEqualTo("64KiB");
    }

    /** Steps compared without index, expected result and position. */
    private static List<Step> withoutMeta(final List<Step> steps) {
        final List<Step> out = new ArrayList<>();
        for (final Step s : steps) {
            out.add(stripped(s));
        }
        return out;
    }

    /** The step with index 1, no expected result and a fixed position. */
    private static Step stripped(final Step s) {
        try {
            final var rc = s.getClass().getRecordComponents();
            final Object[] args = new Object[rc.length];
            final Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                args[i] = rc[i].getAccessor().invoke(s);
            }
            args[0] = new Step.Meta(1, null, new org.ttmsim.scenario.SourcePos("x", 1, 1));
            return (Step) s.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (final ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
