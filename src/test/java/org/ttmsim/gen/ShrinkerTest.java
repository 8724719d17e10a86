package org.ttmsim.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.BuiltinScenarios;

/**
 * The shrinker against a predicate that needs no model run ("a CPU access through a mapping of a BO
 * destroyed before it"), so its result is known exactly: create, mmap and destroy (in either order),
 * access, every argument simplified, the header at its defaults; and the same on every run.
 */
class ShrinkerTest {
    private static final long MASTER = 0x5eed_0f_5_4_1_2_4L;

    private final ScenarioParser parser = BuiltinScenarios.parser();

    /** True when some CPU access goes through a mapping whose BO was destroyed (and not re-created) before it. */
    private static final Predicate<Scenario> USE_AFTER_DESTROY = s -> {
        final Map<String, String> mapBo = new HashMap<>();
        final java.util.Set<String> destroyed = new java.util.HashSet<>();
        for (final Step step : s.steps()) {
            if (step instanceof Step.Create c) {
                destroyed.remove(c.bo());
            } else if (step instanceof Step.Destroy d) {
                destroyed.add(d.bo());
            } else if (step instanceof Step.Mmap m) {
                mapBo.put(m.as(), m.bo());
            } else if ((step instanceof Step.CpuRead || step instanceof Step.CpuWrite)
                    && destroyed.contains(mapBo.get(((Step.OnMap) step).map()))) {
                return true;
            }
        }
        return false;
    };

    private List<ScenarioGenerator.Generated> failing(final int n) throws Exception {
        final List<ScenarioGenerator.Generated> out = new java.util.ArrayList<>();
        for (final long seed : ScenarioGenerator.scenarioSeeds(MASTER, 2000)) {
            final ScenarioGenerator.Generated g = ScenarioGenerator.generate(seed);
            if (g.scenario().steps().size() > 6 && USE_AFTER_DESTROY.test(parser.parse("g.yaml", g.yaml()))) {
                out.add(g);
                if (out.size() == n) {
                    break;
                }
            }
        }
        assertThat(out).as("generated scenarios with a use after destroy").hasSize(n);
        return out;
    }

    @Test
    void shouldShrinkToCreateMmapDestroyAccessWithSimpleArguments() throws Exception {
        for (final ScenarioGenerator.Generated g : failing(5)) {
            final Shrinker.Result r = new Shrinker(parser, USE_AFTER_DESTROY, 5000).shrink(g.scenario());
            final GenScenario min = r.minimal();

            // mmap before or after the destroy: both are a mapping of a destroyed BO (the parser allows either)
            assertThat(min.steps()).as(min.yaml()).hasSize(4);
            assertThat(min.steps().get(0).op()).isEqualTo("create");
            assertThat(List.of(min.steps().get(1).op(), min.steps().get(2).op())).containsExactlyInAnyOrder("mmap",
                    "destroy");
            assertThat(min.steps().get(3).op()).isIn("cpu-read", "cpu-write");
            assertThat(min.steps().get(0).args()).containsOnlyKeys("bo", "size", "placement")
                    .containsEntry("bo", "A").containsEntry("size", new GenScenario.Size(4096));
            assertThat(min.steps().get(0).arg("placement")).isEqualTo(List.of("system"));
            assertThat(min.steps().stream().filter(st -> st.op().equals("mmap")).findFirst().orElseThrow().args())
                    .containsOnlyKeys("bo", "as").containsEntry("as", "m1");
            assertThat(min.steps().get(3).args()).containsOnlyKeys("map", min.steps().get(3).op().equals("cpu-read")
                    ? "length" : "data");
            assertThat(min.yaml()).doesNotContain("machine:", "device:", "design:", "inject:", "offset");
            assertThat(min.yaml()).containsAnyOf("length: 1}", "data: \"x\"}");
            assertThat(r.exhausted()).isFalse();
            assertThat(USE_AFTER_DESTROY.test(parser.parse("min.yaml", min.yaml()))).isTrue();
        }
    }

    @Test
    void shouldGiveTheSameResultEveryTime() throws Exception {
        final ScenarioGenerator.Generated g = failing(1).get(0);
        final Shrinker.Result a = new Shrinker(parser, USE_AFTER_DESTROY, 5000).shrink(g.scenario());
        final Shrinker.Result b = new Shrinker(parser, USE_AFTER_DESTROY, 5000).shrink(g.scenario());
        assertThat(b.minimal().yaml()).isEqualTo(a.minimal().yaml());
        assertThat(b.candidates()).isEqualTo(a.candidates());
    }

    @Test
    void shouldOnlyEverAskThePredicateAboutValidScenarios() throws Exception {
        final int[] asked = new int[1];
        final ScenarioGenerator.Generated g = failing(1).get(0);
        new Shrinker(parser, s -> {
            asked[0]++;
            // the predicate gets parsed scenarios only; names resolve and offsets are in range
            assertThat(s.steps()).isNotEmpty();
            return USE_AFTER_DESTROY.test(s);
        }, 5000).shrink(g.scenario());
        assertThat(asked[0]).isPositive();
    }

    @Test
    void shouldStopAtTheCandidateBudgetWithAFailingScenario() throws Exception {
        final ScenarioGenerator.Generated g = failing(1).get(0);
        final Shrinker.Result r = new Shrinker(parser, USE_AFTER_DESTROY, 3).shrink(g.scenario());
        assertThat(r.exhausted()).isTrue();
        assertThat(r.candidates()).isEqualTo(3);
        assertThat(USE_AFTER_DESTROY.test(parser.parse("min.yaml", r.minimal().yaml()))).isTrue();
    }

    @Test
    void shouldRefuseAScenarioThatDoesNotFail() {
        final GenScenario ok = ScenarioGenerator.generate(7).scenario();
        assertThatThrownBy(() -> new Shrinker(parser, s -> false, 100).shrink(ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fail");
    }
}
