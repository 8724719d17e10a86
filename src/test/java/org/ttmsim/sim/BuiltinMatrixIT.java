package org.ttmsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.sim.SimFixtures.describe;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.report.MatrixGolden;
import org.ttmsim.scenario.Scenario;

/**
 * The whole built-in matrix (every scenario × design × mode, what {@code ttmsim matrix} runs): every explicit
 * expectation holds, every finding is stated by a case with a note (so {@code ttmsim matrix} exits 0), every
 * scenario passes under its own configuration, and every cell's verdict, violations
 * and costs equal the golden file's. Part of {@code mvn verify}; {@code mvn test} runs the cells that carry an
 * expectation ({@link BuiltinScenariosTest}).
 */
class BuiltinMatrixIT {
    /** Every cell's verdict, violations and costs, pinned (see {@link MatrixGolden}). */
    private static final String GOLDEN = "golden/builtin-matrix.txt";
    private static final List<String> MODES = Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id).toList();

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
        assertThat(results.stream().filter(r -> "fail".equals(r.verdict()))
                .map(SimFixtures::describe)).as("cells that fail: every finding of the built-in matrix is"
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
