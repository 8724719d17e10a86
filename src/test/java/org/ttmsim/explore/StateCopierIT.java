package org.ttmsim.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.SteppedRun;

/**
 * A fork is a run of its own: for every built-in scenario, design and split point, a run forked after
 * step k and continued gives exactly what the run from scratch gives, even when the original went on
 * first (so nothing mutable is shared), and two equal states have equal fingerprints.
 */
class StateCopierIT {
    private static final List<String> DESIGNS = List.of("pre-2019", "upstream-2024");
    /** Scenarios whose buffers span hundreds of MiB: forked elsewhere, too slow to run n+2 times here. */
    private static final java.util.Set<String> HEAVY = java.util.Set.of("prefault-cost", "sev-device-writes-user-reads-1gib");

    @Test
    void shouldContinueAForkExactlyAsTheRunFromScratchWhenTheOriginalWentOnFirst() {
        int forks = 0;
        for (final Scenario s : BuiltinScenarios.all()) {
            if (HEAVY.contains(s.name())) {
                continue;
            }
            for (final String design : DESIGNS) {
                final RunOptions options = new RunOptions(design, null, false);
                if (org.ttmsim.sim.ScenarioRunner.configurationProblem(s, options) != null) {
                    continue;
                }
                final List<String> scratch = run(SteppedRun.boot(s, options), s.steps(), 0);
                for (final int k : splits(s.steps().size())) {
                    final SteppedRun original = SteppedRun.boot(s, options);
                    final List<String> prefix = run(original, s.steps().subList(0, k), 0);
                    final SteppedRun fork = new StateCopier().copy(original);
                    final List<String> originalSuffix = run(original, s.steps().subList(k, s.steps().size()), k);
                    final List<String> forkSuffix = run(fork, s.steps().subList(k, s.steps().size()), k);
                    final List<String> joined = new ArrayList<>(prefix);
                    joined.addAll(forkSuffix);
                    assertThat(joined).as("%s under %s forked after step %d", s.name(), design, k)
                            .containsExactlyElementsOf(scratch);
                    assertThat(originalSuffix).as("the original of %s after step %d", s.name(), k)
                            .containsExactlyElementsOf(forkSuffix);
                    forks++;
                }
            }
        }
        assertThat(forks).isGreaterThan(100);
    }

    @Test
    void shouldGiveTheSameFingerprintToAForkAndItsOriginalAndADifferentOneAfterAStep() {
        final Scenario s = BuiltinScenarios.byId("sev-device-writes-user-reads");
        final SteppedRun run = SteppedRun.boot(s, RunOptions.defaults());
        final Fingerprint fp = new Fingerprint();
        final long boot = fp.of(run);
        final SteppedRun fork = new StateCopier().copy(run);
        assertThat(fp.of(fork)).isEqualTo(boot);
        assertThat(fp.of(SteppedRun.boot(s, RunOptions.defaults()))).as("a second boot").isEqualTo(boot);
        run.step(s.steps().get(0));
        assertThat(fp.of(run)).isNotEqualTo(boot);
        assertThat(fp.of(fork)).as("the fork did not move").isEqualTo(boot);
    }

    /** Every split point of a short scenario; a few of a long one (a fork test is quadratic in steps). */
    private static java.util.SortedSet<Integer> splits(final int n) {
        final java.util.SortedSet<Integer> ks = new java.util.TreeSet<>();
        if (n <= 8) {
            for (int k = 0; k <= n; k++) {
                ks.add(k);
            }
        } else {
            ks.addAll(List.of(0, 1, 2, n / 2, n - 1, n));
        }
        return ks;
    }

    /** Every step's outcome as a line: index, op, result, bytes read, detail, violations with evidence. */
    static List<String> run(final SteppedRun run, final List<Step> steps, final int skipped) {
        final List<String> lines = new ArrayList<>();
        for (final Step step : steps) {
            final SteppedRun.Outcome o = run.step(step);
            if (o.error() != null) {
                lines.add(step.index() + " error " + o.error());
                break;
            }
            lines.add(step.index() + " " + o.result().op() + " " + o.result().result() + " "
                    + (o.result().data() == null ? "-" : HexFormat.of().formatHex(o.result().data())) + " "
                    + o.result().detail() + " " + o.violations());
        }
        return lines;
    }
}
