package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.ttmsim.scenario.Scenario;

/**
 * Runs every scenario under every design and mode. Cells are independent runs (each builds its own
 * machine), so they run in parallel on all cores; results come back in a fixed order (scenario, then
 * mode, then design), whatever the thread count, so output is byte-identical across runs.
 */
public final class Matrix {
    /**
     * One cell to run.
     *
     * @param kernel the release, or null for the design's own (or the file's {@code kernel:})
     */
    public record Cell(Scenario scenario, String design, String mode, String kernel) {
        public Cell(final Scenario scenario, final String design, final String mode) {
            this(scenario, design, mode, null);
        }
    }

    private Matrix() {
    }

    /**
     * The axes of a matrix: designs, the kernel releases each runs on, and modes. With no kernels each
     * design runs on its own release (or the file's {@code kernel:}); otherwise every design runs on
     * every kernel given. A row of the report is a (design, kernel) pair.
     *
     * @param designs design ids
     * @param kernels releases ({@code v6.9}), or empty for each design's own
     * @param modes   mode ids
     */
    public record Axes(List<String> designs, List<String> kernels, List<String> modes) {
        public Axes {
            designs = List.copyOf(designs);
            kernels = List.copyOf(kernels);
            modes = List.copyOf(modes);
        }

        /** Rows per mode: designs times kernels (one kernel, the own, when none is given). */
        public int rows() {
            return designs.size() * Math.max(1, kernels.size());
        }

        /** Cells per scenario. */
        public int cellsPerScenario() {
            return rows() * modes.size();
        }

        /** The row key of a result: its design, with its kernel when the matrix has a kernel axis. */
        public String rowKey(final RunResult r) {
            return kernels.isEmpty() ? r.design() : r.design() + " " + r.kernel();
        }

        /** The row keys in order. */
        public List<String> rowKeys() {
            final List<String> keys = new ArrayList<>();
            for (final String d : designs) {
                if (kernels.isEmpty()) {
                    keys.add(d);
                } else {
                    kernels.forEach(k -> keys.add(d + " " + k));
                }
            }
            return keys;
        }
    }

    /** The cells in report order: scenario, mode, design, kernel. */
    public static List<Cell> cells(final List<Scenario> scenarios, final List<String> designs,
            final List<String> modes) {
        return cells(scenarios, new Axes(designs, List.of(), modes));
    }

    /** The cells in report order: scenario, mode, design, kernel. */
    public static List<Cell> cells(final List<Scenario> scenarios, final Axes axes) {
        final List<Cell> cells = new ArrayList<>();
        for (final Scenario s : scenarios) {
            for (final String m : axes.modes()) {
                for (final String d : axes.designs()) {
                    if (axes.kernels().isEmpty()) {
                        cells.add(new Cell(s, d, m, null));
                    } else {
                        for (final String k : axes.kernels()) {
                            cells.add(new Cell(s, d, m, k));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /**
     * Runs the cells on {@code threads} threads; {@code progress} receives the count done after each
     * cell (from worker threads).
     */
    public static List<RunResult> run(final List<Cell> cells, final int threads, final boolean keepTrace,
            final IntConsumer progress) {
        return run(cells, threads, keepTrace, 0, progress);
    }

    /** As above, keeping at most {@code traceLimit} trace lines per cell (0 = all). */
    public static List<RunResult> run(final List<Cell> cells, final int threads, final boolean keepTrace,
            final int traceLimit, final IntConsumer progress) {
        final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            final Thread t = new Thread(r, "ttmsim-cell");
            t.setDaemon(true);
            return t;
        });
        try {
            final List<Future<RunResult>> futures = new ArrayList<>();
            final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            for (final Cell c : cells) {
                futures.add(pool.submit(() -> {
                    final RunResult r = ScenarioRunner.run(c.scenario(), new RunOptions(c.design(), c.mode(),
                            c.kernel(), keepTrace, traceLimit));
                    progress.accept(done.incrementAndGet());
                    return r;
                }));
            }
            final List<RunResult> results = new ArrayList<>(cells.size());
            for (final Future<RunResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("matrix interrupted", e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("matrix cell failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
