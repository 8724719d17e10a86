package org.ttmsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the documented example never make the parser throw anything but a
 * {@link ScenarioException} with a position inside the text, and never hit an internal error.
 */
final class ScenarioParserRobustnessTest {

    private static final long SEED = 0x7713_5ce9L;
    private static final int MUTANTS = 2000;
    private static final String ALPHABET = "{}[],:-&*!|>'\"#?%@` \n\t0123456789abcxyzAKMGiB_.~\u00e9\u0000";

    private final ScenarioParser parser = new ScenarioParser(ScenarioParserTest.COSTS);

    @Test
    void shouldRejectMutantsOnlyWithPositionedScenarioExceptions() throws Exception {
        final String original = ScenarioParserTest.resource("/scenario-examples/spec-example.yaml");
        final SplittableRandom random = new SplittableRandom(SEED);
        int rejected = 0;
        for (int i = 0; i < MUTANTS; i++) {
            final String mutant = mutate(original, random);
            try {
                parser.parse("mutant", mutant);
            } catch (final ScenarioException e) {
                rejected++;
                assertPositioned(e, mutant, i);
            } catch (final RuntimeException | StackOverflowError e) {
                fail("mutant " + i + " (seed " + SEED + ") escaped with " + e + ":\n" + mutant, e);
            }
        }
        assertThat(rejected).as("most mutants are bad input").isGreaterThan(MUTANTS / 2);
    }

    private static void assertPositioned(final ScenarioException e, final String mutant, final int i) {
        final long lines = mutant.lines().count() + 1;
        assertThat(e.problem()).as("mutant %d: %s", i, e.getMessage()).doesNotContain("internal error");
        assertThat(e.line()).as("mutant %d: %s", i, e.getMessage()).isBetween(1, (int) lines);
        assertThat(e.col()).as("mutant %d: %s", i, e.getMessage()).isPositive();
    }

    /** One to four edits: replace, insert or delete a character, or duplicate a line. */
    private static String mutate(final String text, final SplittableRandom random) {
        final StringBuilder out = new StringBuilder(text);
        final int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            final int at = random.nextInt(out.length());
            final char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(4)) {
                case 0 -> out.setCharAt(at, c);
                case 1 -> out.insert(at, c);
                case 2 -> out.deleteCharAt(at);
                default -> duplicateLine(out, at);
            }
        }
        return out.toString();
    }

    private static void duplicateLine(final StringBuilder out, final int at) {
        final int start = out.lastIndexOf("\n", at) + 1;
        final int end = out.indexOf("\n", at);
        if (end > start) {
            out.insert(start, out.substring(start, end + 1));
        }
    }
}
