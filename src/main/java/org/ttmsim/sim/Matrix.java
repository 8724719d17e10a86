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
    /** One cell to run. */
    public record Cell(Scenario scenario, String design, String mode) {
    }

    private Matrix() {
    }

    /** The cells in report order: scenario, mode, design. */
    public static List<Cell> cells(final List<Scenario> scenarios, final List<String> designs,
            final List<String> modes) {
        final List<Cell> cells = new ArrayList<>();
        for (final Scenario s : scenarios) {
            for (final String m : modes) {
                for (final String d : designs) {
                    cells.add(new Cell(s, d, m));
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
                            keepTrace, traceLimit));
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
