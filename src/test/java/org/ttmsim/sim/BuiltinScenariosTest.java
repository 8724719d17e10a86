package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.describe;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.scenario.Scenario;

/**
 * The built-in library ({@code ttmsim scenarios}, the default of {@code ttmsim matrix}): every file
 * parses, cites where its expectation comes from, and every cell that carries an explicit expectation
 * holds it. The whole matrix against its golden file is {@link BuiltinMatrixIT}.
 */
class BuiltinScenariosTest {
    private static final List<String> MODES = Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id).toList();

    @Test
    void shouldParseEveryBuiltinInIndexOrder() {
        final List<String> names = BuiltinScenarios.names();
        final List<Scenario> all = BuiltinScenarios.all();

        assertThat(all).hasSameSizeAs(names).isNotEmpty();
        assertThat(all.stream().map(Scenario::file).toList())
                .isEqualTo(names.stream().map(n -> "builtin:" + n).toList());
        assertThat(all.stream().map(Scenario::name).distinct().count()).as("scenario names are unique")
                .isEqualTo(all.size());
    }

    @Test
    void shouldListEveryScenarioFileInTheIndex() throws IOException, URISyntaxException {
        final URL index = BuiltinScenarios.class.getResource("/scenarios/index.txt");
        assertThat(index).isNotNull();
        assertThat(index.getProtocol()).as("tests run from the class directory").isEqualTo("file");
        try (Stream<Path> files = Files.list(Path.of(index.toURI()).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted())
                    .containsExactlyInAnyOrderElementsOf(BuiltinScenarios.names());
        }
    }

    /** A primary source: a URL, a commit hash, or a file of the kernel tree. */
    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile(
            "https?://|\\b[0-9a-f]{12}\\b|\\b(?:drivers|arch|kernel|mm|include|Documentation)/[\\w/.-]+");

    @Test
    void shouldCiteAPrimarySourceInEveryDescription() {
        for (final Scenario s : BuiltinScenarios.all()) {
            assertThat(s.description()).as(s.file()).containsPattern(SOURCE);
        }
    }

    /**
     * The cells that carry each expectation once: each scenario under its own design, mode and kernel
     * (everything applies there), and the first cell each {@code expect.cases} entry covers. Every one holds its expectations;
     * each scenario passes under its own configuration. The whole matrix against its golden file is
     * {@link BuiltinMatrixIT} ({@code mvn verify}).
     */
    @Test
    void shouldHoldEveryExpectationInTheCellsThatCarryOne() {
        final List<Scenario> all = BuiltinScenarios.all();
        final List<Matrix.Cell> cells = cellsCarryingEachExpectation(Matrix.cells(all, Designs.ids(), MODES));
        assertThat(cells.size()).as("each scenario's own cell and one per case").isBetween(all.size(), all.size() * 20);

        final List<RunResult> results = Matrix.run(cells, Runtime.getRuntime().availableProcessors(), false,
                done -> { });

        assertThat(results.stream().filter(r -> "error".equals(r.verdict()) || !r.failures().isEmpty())
                .map(SimFixtures::describe)).as("cells with an error or an unmet expectation").isEmpty();
        assertThat(results.stream().filter(r -> !r.violations().isEmpty() && r.note() == null)
                .map(SimFixtures::describe)).as("findings without a case's note saying why").isEmpty();
        for (int i = 0; i < cells.size(); i++) {
            final Matrix.Cell c = cells.get(i);
            if (own(c)) {
                assertThat(results.get(i).verdict()).as("`ttmsim run %s` passes: %s", c.scenario().file(),
                        describe(results.get(i))).isEqualTo("pass");
            }
        }
        assertThat(cells.stream().filter(BuiltinScenariosTest::own)).as("every scenario's own cell").hasSize(all.size());
    }

    /** The file's own design and mode (its kernel is then its own too: a matrix cell names none). */
    private static boolean own(final Matrix.Cell c) {
        return c.design().equals(c.scenario().design()) && c.mode().equals(c.scenario().machine().encryption());
    }

    /**
     * Each scenario's own cell, and for each {@code expect.cases} entry the first cell (in matrix order) it
     * covers: every expectation of the library is judged at least once. The rest is {@link BuiltinMatrixIT}'s.
     */
    private static List<Matrix.Cell> cellsCarryingEachExpectation(final List<Matrix.Cell> all) {
        final java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        final List<Matrix.Cell> out = new java.util.ArrayList<>();
        for (final Matrix.Cell c : all) {
            final Scenario s = c.scenario();
            final String kernel = s.kernel() != null ? s.kernel() : Designs.byId(c.design()).ownRelease().id();
            final Object kase = s.expect().caseFor(c.design(), c.mode(), kernel);
            if (own(c) || (kase != null && seen.add(kase))) {
                out.add(c);
            }
        }
        return out;
    }
}
