package org.ttmsim.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.BuiltinScenarios;

/**
 * The generator's own contract: every generated text is valid input, the same seed gives the same
 * text, and the seeds reach every operation, every odd state the issue names, and every header choice.
 */
class ScenarioGeneratorIT {
    private static final int SEEDS = 3000;
    private static final long MASTER = 0x5eed_0f_9e_7e_57L;

    private final ScenarioParser parser = BuiltinScenarios.parser();

    @Test
    void shouldGenerateTextThatParsesForEverySeed() {
        final List<String> rejected = new ArrayList<>();
        for (final long seed : ScenarioGenerator.scenarioSeeds(MASTER, SEEDS)) {
            final ScenarioGenerator.Generated g = ScenarioGenerator.generate(seed);
            try {
                parser.parse(g.fileName(), g.yaml());
            } catch (final ScenarioException e) {
                if (rejected.size() < 5) {
                    rejected.add(e.getMessage() + "\n" + g.yaml());
                }
            }
        }
        assertThat(rejected).as("generated scenarios the parser rejects (a generator bug)").isEmpty();
    }

    @Test
    void shouldGiveTheSameTextForTheSameSeed() {
        for (final long seed : ScenarioGenerator.scenarioSeeds(MASTER, 200)) {
            assertThat(ScenarioGenerator.generate(seed).yaml()).isEqualTo(ScenarioGenerator.generate(seed).yaml());
        }
        assertThat(ScenarioGenerator.scenarioSeeds(MASTER, 10)).containsExactly(
                ScenarioGenerator.scenarioSeeds(MASTER, 10));
        assertThat(ScenarioGenerator.generate(1).yaml()).isNotEqualTo(ScenarioGenerator.generate(2).yaml());
    }

    @Test
    void shouldPrintEveryOptionAndNameTheSeedInTheFile() {
        final ScenarioGenerator.Generated g = ScenarioGenerator.generate(42);
        assertThat(g.options().toString()).contains("seed=0x000000000000002a", "header-seed=", "step-seed=",
                "steps=", "encryption=", "ram=", "driver=", "vram=", "dma-alloc=", "design=", "inject=");
        assertThat(g.yaml()).contains("name: gen-000000000000002a", "seed 0x000000000000002a");
        assertThat(ScenarioGenerator.parseSeed("0x000000000000002a")).isEqualTo(42);
        assertThat(ScenarioGenerator.parseSeed("-7")).isEqualTo(-7);
        assertThat(ScenarioGenerator.parseSeed(ScenarioGenerator.hex(-7))).isEqualTo(-7);
    }

    @Test
    void shouldReachEveryOperationAndTheOddStatesTheIssueNames() throws ScenarioException {
        final Set<String> ops = new LinkedHashSet<>();
        final Set<String> odd = new LinkedHashSet<>();
        final Set<String> header = new LinkedHashSet<>();
        for (final long seed : ScenarioGenerator.scenarioSeeds(MASTER, 1000)) {
            final ScenarioGenerator.Generated g = ScenarioGenerator.generate(seed);
            final Scenario s = parser.parse(g.fileName(), g.yaml());
            s.steps().forEach(step -> ops.add(step.op()));
            odd.addAll(OddStates.of(s));
            header.add("encryption:" + s.machine().encryption());
            header.add("driver:" + s.device().driver());
            header.add("vram0:" + (s.device().vramBytes() == 0));
            header.add("inject:" + !s.inject().isEmpty());
            header.add("design:" + s.design());
            s.steps().stream().filter(Step.Create.class::isInstance).map(Step.Create.class::cast)
                    .forEach(c -> {
                        header.add("type:" + c.type());
                        header.add("caching:" + c.caching());
                    });
        }
        assertThat(ops).containsExactlyInAnyOrderElementsOf(ScenarioGenerator.OPS);
        assertThat(odd).containsExactlyInAnyOrderElementsOf(OddStates.ALL);
        assertThat(header).contains("encryption:none", "encryption:sme", "encryption:sev", "encryption:sev-snp",
                "encryption:tdx", "driver:generic", "driver:vmwgfx", "driver:amdgpu", "vram0:true", "inject:true",
                "type:device", "type:kernel", "type:sg", "caching:cached", "caching:wc", "caching:uncached");
    }

    @Test
    void shouldMakeMutatedVariantsThatTheParserRejects() {
        for (final long seed : ScenarioGenerator.scenarioSeeds(MASTER, 200)) {
            final String text = ScenarioGenerator.mutated(seed);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse("m.yaml", text))
                    .as(text).isInstanceOf(ScenarioException.class).hasMessageStartingWith("m.yaml:");
        }
    }

    /** The odd states of issue #16 a parsed scenario reaches, judged from its steps alone. */
    static final class OddStates {
        static final List<String> ALL = List.of("use-after-destroy", "access-after-purge", "purge-while-pinned",
                "access-after-swapout", "access-after-munmap", "munmap-twice", "access-after-evict");

        static Set<String> of(final Scenario s) {
            final Set<String> found = new LinkedHashSet<>();
            final Set<String> destroyed = new java.util.HashSet<>();
            final Set<String> purged = new java.util.HashSet<>();
            final Set<String> pinned = new java.util.HashSet<>();
            final Set<String> swapped = new java.util.HashSet<>();
            final Set<String> evicted = new java.util.HashSet<>();
            final Set<String> unmapped = new java.util.HashSet<>();
            final java.util.Map<String, String> mapBo = new java.util.HashMap<>();
            for (final Step step : s.steps()) {
                final String bo = step instanceof Step.OnBo b ? b.bo()
                        : step instanceof Step.OnMap m ? mapBo.get(m.map()) : null;
                if (step instanceof Step.OnMap m && unmapped.contains(m.map())) {
                    found.add(step instanceof Step.Munmap ? "munmap-twice" : "access-after-munmap");
                }
                if (bo != null && !(step instanceof Step.Create)) {
                    if (destroyed.contains(bo)) {
                        found.add("use-after-destroy");
                    }
                    if (purged.contains(bo) && (step instanceof Step.Read || step instanceof Step.Write
                            || step instanceof Step.Swapout || step instanceof Step.Evict)) {
                        found.add("access-after-purge");
                    }
                    if (swapped.contains(bo) && (step instanceof Step.Read || step instanceof Step.Write)) {
                        found.add("access-after-swapout");
                    }
                    if (evicted.contains(bo) && (step instanceof Step.Read || step instanceof Step.Write)) {
                        found.add("access-after-evict");
                    }
                }
                if (step instanceof Step.Create c) {
                    destroyed.remove(c.bo());
                    purged.remove(c.bo());
                    pinned.remove(c.bo());
                } else if (step instanceof Step.Destroy d) {
                    destroyed.add(d.bo());
                } else if (step instanceof Step.Pin p) {
                    pinned.add(p.bo());
                } else if (step instanceof Step.Swapout w) {
                    swapped.add(w.bo());
                } else if (step instanceof Step.Evict e) {
                    evicted.add(e.bo());
                } else if (step instanceof Step.Validate v && v.placement().isEmpty()) {
                    purged.add(v.bo());
                    if (pinned.contains(v.bo())) {
                        found.add("purge-while-pinned");
                    }
                } else if (step instanceof Step.Mmap m) {
                    mapBo.put(m.as(), m.bo());
                } else if (step instanceof Step.Munmap m) {
                    unmapped.add(m.map());
                }
            }
            return found;
        }
    }
}
