package org.ttmsim.bench;

import java.util.List;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;

/**
 * Figure (4): matrix cells per second on one core. The cells are the built-in scenarios × designs ×
 * modes in {@code ttmsim matrix}'s order, run by {@link Matrix#run} on one worker thread with no trace
 * kept; to stay within the bench's minute, the timed run takes every {@code stride}-th cell of the whole
 * matrix (a deterministic sample that covers every scenario, design and mode), after an untimed run
 * of another sample warms up. Scenario parsing is done once, outside the timing.
 */
final class MatrixBench {
    /** Median cells per second, the cells in the whole matrix and the cells timed per run. */
    record Result(double cellsPerSecond, int cells, int timedCells) {
    }

    private MatrixBench() {
    }

    static Result run(final BenchConfig cfg) {
        final List<Scenario> scenarios = BuiltinScenarios.all();
        final List<String> modes = java.util.Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id).toList();
        final List<Matrix.Cell> cells = Matrix.cells(scenarios, Designs.ids(), modes);
        final List<Matrix.Cell> timed = sample(cells, cfg.matrixStride(), 0);
        check(Matrix.run(sample(cells, cfg.matrixStride() * 4, 1), 1, false, n -> { }));
        final double[] rates = new double[cfg.matrixRounds()];
        for (int i = 0; i < rates.length; i++) {
            final long t0 = System.nanoTime();
            final List<RunResult> results = Matrix.run(timed, 1, false, n -> { });
            rates[i] = results.size() * 1e9 / Math.max(1, System.nanoTime() - t0);
            check(results);
        }
        return new Result(BenchClock.median(rates), cells.size(), timed.size());
    }

    /** Cells {@code offset}, {@code offset + stride}, ... of the matrix. */
    static List<Matrix.Cell> sample(final List<Matrix.Cell> cells, final int stride, final int offset) {
        final List<Matrix.Cell> out = new java.util.ArrayList<>();
        for (int i = Math.min(offset, cells.size() - 1); i < cells.size(); i += stride) {
            out.add(cells.get(i));
        }
        return out;
    }

    private static void check(final List<RunResult> results) {
        for (final RunResult r : results) {
            EngineBench.check(!"error".equals(r.verdict()), "matrix cell " + r.scenario() + " " + r.design() + " "
                    + r.mode() + " ran");
        }
    }
}
