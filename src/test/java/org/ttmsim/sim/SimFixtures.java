package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.ttmsim.check.Violation;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;

/** Shared helpers of the sim tests: built-in scenario texts, parsing and running one configuration. */
final class SimFixtures {
    private SimFixtures() {
    }

    /** The YAML text of a built-in scenario, as shipped in {@code /scenarios/}. */
    static String builtinText(final String fileName) {
        try (InputStream in = SimFixtures.class.getResourceAsStream("/scenarios/" + fileName)) {
            assertThat(in).as("built-in resource %s", fileName).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses scenario text with the built-in parser (which knows the cost parameter names). */
    static Scenario parse(final String fileName, final String text) throws ScenarioException {
        return BuiltinScenarios.parser().parse(fileName, text);
    }

    /** Parses a built-in scenario unchanged. */
    static Scenario builtin(final String fileName) throws ScenarioException {
        return parse("builtin:" + fileName, builtinText(fileName));
    }

    /** Text with {@code from} replaced by {@code to}, failing if {@code from} is not there (so a test cannot go stale silently). */
    static String replace(final String text, final String from, final String to) {
        assertThat(text).as("the scenario text to modify").contains(from);
        return text.replace(from, to);
    }

    /** Runs under a design and mode (null keeps the file's). */
    static RunResult run(final Scenario s, final String design, final String mode) {
        return ScenarioRunner.run(s, new RunOptions(design, mode, false));
    }

    /** The result of step {@code index} (1-based). */
    static StepResult step(final RunResult r, final int index) {
        final StepResult s = r.steps().get(index - 1);
        assertThat(s.index()).isEqualTo(index);
        return s;
    }

    /** The first violation of an invariant, failing when there is none. */
    static Violation violation(final RunResult r, final String invariant) {
        return r.violations().stream().filter(v -> v.invariant().id().equals(invariant)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + invariant + " in " + r.violatedIds()));
    }

    /** A one-line description of a run for assertion messages. */
    static String describe(final RunResult r) {
        return String.format("%s [%s/%s] verdict=%s error=%s failures=%s violations=%s", r.scenario(), r.design(),
                r.mode(), r.verdict(), r.error(), r.failures(), r.violatedIds());
    }
}
