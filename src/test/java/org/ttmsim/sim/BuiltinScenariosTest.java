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
import org.ttmsim.report.MatrixGolden;
import org.ttmsim.scenario.Scenario;

/**
 * The built-in library ({@code ttmsim scenarios}, the default of {@code ttmsim matrix}): every file
 * parses, cites where its expectation comes from, and the whole library × design × mode matrix passes:
 * every finding is stated by a case with a note, and every cell's verdict, violations and costs equal the
 * golden file's.
 */
class BuiltinScenariosTest {
    /** Every cell's verdict, violations and costs, pinned (see {@link MatrixGolden}). */
    private static final String GOLDEN = "golden/builtin-matrix.txt";
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

    @Test
    void shouldPassUnderItsOwnConfigurationAndHoldEveryExpectationInTheWholeMatrix() {
        final List<Scenario> all = BuiltinScenarios.all();
        final List<Matrix.Cell> cells = Matrix.cells(all, Designs.ids(), MODES);
        assertThat(cells.size()).isEqualTo(all.size() * Designs.ids().size() * MODES.size());

        final List<RunResult> results = Matrix.run(cells, Runtime.getRuntime().availableProcessors(), false,
                done -> { });

        assertThat(results).hasSameSizeAs(cells);
        assertThat(results.stream().filter(r -> "error".equals(r.verdict()) || "fail".equals(r.verdict()))
                .map(SimFixtures::describe)).as("cells that fail or err: every finding of the built-in matrix is"
                        + " stated by its scenario (expect.cases), so `ttmsim matrix` exits 0").isEmpty();
        assertThat(results.stream().filter(r -> !r.violations().isEmpty() && r.note() == null)
                .map(SimFixtures::describe)).as("findings without a case's note saying why").isEmpty();
        for (int i = 0; i < cells.size(); i++) {
            final Matrix.Cell c = cells.get(i);
            final RunResult r = results.get(i);
            assertThat(List.of(r.scenario(), r.design(), r.mode())).as("result order")
                    .isEqualTo(List.of(c.scenario().name(), c.design(), c.mode()));
            if (c.design().equals(c.scenario().design()) && c.mode().equals(c.scenario().machine().encryption())) {
                assertThat(r.verdict()).as("`ttmsim run %s` passes: %s", c.scenario().file(), describe(r))
                        .isEqualTo("pass");
            }
        }
        GoldenFiles.assertMatches(GOLDEN, MatrixGolden.render(results));
    }
}
