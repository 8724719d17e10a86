package org.ttmsim.bench;

import java.util.List;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;

/**
 * Figure (4): matrix cells per second on one core — every built-in scenario × design × mode, as
 * {@code ttmsim matrix} runs them ({@link Matrix#run}, no trace kept), on one worker thread. Scenario
 * parsing is done once, outside the timing. One untimed run warms up.
 */
final class MatrixBench {
    /** Median cells per second and the cells in one matrix. */
    record Result(double cellsPerSecond, int cells) {
    }

    private MatrixBench() {
    }

    static Result run(final BenchConfig cfg) {
        final List<Scenario> scenarios = BuiltinScenarios.all();
        final List<String> modes = java.util.Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id).toList();
        final List<Matrix.Cell> cells = Matrix.cells(scenarios, Designs.ids(), modes);
        check(Matrix.run(cells, 1, false, n -> { }));
        final double[] rates = new double[cfg.matrixRounds()];
        for (int i = 0; i < rates.length; i++) {
            final long t0 = System.nanoTime();
            final List<RunResult> results = Matrix.run(cells, 1, false, n -> { });
            rates[i] = results.size() * 1e9 / Math.max(1, System.nanoTime() - t0);
        }
        return new Result(BenchClock.median(rates), cells.size());
    }

    private static void check(final List<RunResult> results) {
        for (final RunResult r : results) {
            EngineBench.check(!"error".equals(r.verdict()), "matrix cell " + r.scenario() + " " + r.design() + " "
                    + r.mode() + " ran");
        }
    }
}
