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
 * parses, cites where its expectation comes from, and the whole library × design × mode matrix holds
 * every explicit expectation it states, and every cell's verdict, violations and costs equal the
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

    @Test
    void shouldCiteASourceInEveryDescription() {
        for (final Scenario s : BuiltinScenarios.all()) {
            assertThat(s.description()).as(s.file())
                    .containsAnyOf("Reference", "reference", "http://", "https://");
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
        assertThat(results.stream().filter(r -> "error".equals(r.verdict()) || !r.failures().isEmpty())
                .map(SimFixtures::describe)).as("cells with an error or an unmet expectation").isEmpty();
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
