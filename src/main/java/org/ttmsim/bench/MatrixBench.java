package org.ttmsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.ttmsim.design.Designs;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.sim.BuiltinScenarios;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunOptions;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * Figures (4) and (4b): matrix cells per second on one core, and the slowest built-in cell. The cells are
 * the built-in scenarios × designs × modes in {@code ttmsim matrix}'s order, each run as {@link Matrix#run}
 * runs it (no trace kept), one after another on the bench's thread; scenario parsing is done once,
 * outside the timing.
 *
 * <p>Time is the thread's CPU time ({@link ThreadMXBean}), not the wall clock: on a shared machine the
 * wall clock charges the cells for other processes' time slices, while a single thread's CPU time is
 * what one core spends on them. The rate takes every {@code stride}-th cell of the whole matrix (a
 * deterministic sample that covers every scenario, design and mode), after an untimed run of the same
 * sample warms up (as JMH's warm-up iterations do: a first run of a cell's code paths is mostly JIT
 * compilation, which a matrix of thousands of cells pays once); the median of the rounds is reported. The slowest cell is found by timing every
 * cell of the matrix once, warm ({@code --quick}: the sample's cells only); the {@value #SLOWEST_CANDIDATES}
 * slowest are timed {@value #SLOWEST_ROUNDS} times more each and the largest of their medians is reported.
 */
final class MatrixBench {
    /** Cells re-timed as candidates for the slowest. */
    static final int SLOWEST_CANDIDATES = 3;
    /** Timings of each candidate (the median is taken). */
    static final int SLOWEST_ROUNDS = 5;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * @param cellsPerSecond         median cells per second of CPU time of one thread
     * @param cells                  cells in the whole matrix
     * @param timedCells             cells timed per round of the rate
     * @param slowestCellMs          the slowest cell's median CPU time, warm, ms
     * @param slowestCell            which cell that is: scenario, design, mode
     * @param runnableCellsPerSecond the same rounds counting only the cells that run: a cell whose mode its
     *                               release cannot boot is n/a, answered without a machine (a matrix cell all
     *                               the same, so {@code cellsPerSecond} counts it)
     * @param runnableTimedCells     timed cells per round that run
     */
    record Result(double cellsPerSecond, int cells, int timedCells, double slowestCellMs, String slowestCell,
            double runnableCellsPerSecond, int runnableTimedCells, double[] forkCellsPerSecond) {
        Result(final double cellsPerSecond, final int cells, final int timedCells, final double slowestCellMs,
                final String slowestCell, final double runnableCellsPerSecond, final int runnableTimedCells) {
            this(cellsPerSecond, cells, timedCells, slowestCellMs, slowestCell, runnableCellsPerSecond,
                    runnableTimedCells, new double[] {cellsPerSecond});
        }

        /**
         * Each figure's median over the JVMs' results (the slowest cell named by the JVM whose time is that
         * median); an even count takes the lower middle JVM.
         */
        static Result median(final List<Result> forks) {
            final List<Result> byRate = new ArrayList<>(forks);
            byRate.sort(Comparator.comparingDouble(Result::cellsPerSecond));
            final List<Result> byRunnable = new ArrayList<>(forks);
            byRunnable.sort(Comparator.comparingDouble(Result::runnableCellsPerSecond));
            final List<Result> bySlowest = new ArrayList<>(forks);
            bySlowest.sort(Comparator.comparingDouble(Result::slowestCellMs));
            final int mid = (forks.size() - 1) / 2;
            final Result rate = byRate.get(mid);
            final Result slow = bySlowest.get(mid);
            return new Result(rate.cellsPerSecond(), rate.cells(), rate.timedCells(), slow.slowestCellMs(),
                    slow.slowestCell(), byRunnable.get(mid).runnableCellsPerSecond(), rate.runnableTimedCells(),
                    forks.stream().mapToDouble(Result::cellsPerSecond).toArray());
        }
    }

    /** JVMs the full bench runs this figure in (the median is reported). */
    static final int FORKS = 3;

    private MatrixBench() {
    }

    static Result run(final BenchConfig cfg) {
        final List<Scenario> scenarios = BuiltinScenarios.all();
        final List<String> modes = Arrays.stream(EncryptionMode.values()).map(EncryptionMode::id).toList();
        final List<Matrix.Cell> cells = Matrix.cells(scenarios, Designs.ids(), modes);
        final List<Matrix.Cell> timed = sample(cells, cfg.matrixStride(), 0);
        for (final Matrix.Cell c : timed) {
            check(c, run(c)); // warm-up: the same cells, untimed, so that the rounds time code the JIT compiled
        }
        int runnable = 0;
        for (final Matrix.Cell c : timed) {
            runnable += ScenarioRunner.NOT_APPLICABLE.equals(run(c).verdict()) ? 0 : 1;
        }
        final double[] rates = new double[cfg.matrixRounds()];
        final double[] runnableRates = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            long cpuNs = 0;
            for (final Matrix.Cell c : timed) {
                cpuNs += cpuNs(c);
            }
            rates[i] = timed.size() * 1e9 / Math.max(1, cpuNs);
            runnableRates[i] = runnable * 1e9 / Math.max(1, cpuNs);
        }
        final Slowest slowest = slowest(cfg.quick() ? timed : cells);
        return new Result(BenchClock.median(rates), cells.size(), timed.size(), slowest.ms, slowest.name,
                BenchClock.median(runnableRates), runnable);
    }

    private record Slowest(double ms, String name) {
    }

    /** The slowest of {@code cells}, warm: each timed once, the slowest few again (median of each). */
    private static Slowest slowest(final List<Matrix.Cell> cells) {
        final long[] once = new long[cells.size()];
        for (int i = 0; i < once.length; i++) {
            once[i] = cpuNs(cells.get(i));
        }
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < once.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> once[i]).reversed().thenComparing(i -> i));
        Slowest worst = new Slowest(0, "");
        for (final int i : order.subList(0, Math.min(SLOWEST_CANDIDATES, order.size()))) {
            final Matrix.Cell c = cells.get(i);
            final long[] t = new long[SLOWEST_ROUNDS];
            for (int r = 0; r < t.length; r++) {
                t[r] = cpuNs(c);
            }
            final double ms = BenchClock.median(t) / 1e6;
            if (ms > worst.ms) {
                worst = new Slowest(ms, c.scenario().name() + " " + c.design() + " " + c.mode());
            }
        }
        return worst;
    }

    /** Runs one cell on this thread; returns the CPU time it took, ns. */
    private static long cpuNs(final Matrix.Cell c) {
        final long t0 = THREADS.getCurrentThreadCpuTime();
        final RunResult r = run(c);
        final long ns = THREADS.getCurrentThreadCpuTime() - t0;
        check(c, r);
        return ns;
    }

    /** One cell as {@link Matrix#run} runs it, without a trace. */
    private static RunResult run(final Matrix.Cell c) {
        return ScenarioRunner.run(c.scenario(), new RunOptions(c.design(), c.mode(), c.kernel(), false, 0));
    }

    /** Cells {@code offset}, {@code offset + stride}, ... of the matrix. */
    static List<Matrix.Cell> sample(final List<Matrix.Cell> cells, final int stride, final int offset) {
        final List<Matrix.Cell> out = new ArrayList<>();
        for (int i = Math.min(offset, cells.size() - 1); i < cells.size(); i += stride) {
            out.add(cells.get(i));
        }
        return out;
    }

    private static void check(final Matrix.Cell c, final RunResult r) {
        EngineBench.check(!"error".equals(r.verdict()), "matrix cell " + c.scenario().name() + " " + c.design()
                + " " + c.mode() + " ran");
    }
}
