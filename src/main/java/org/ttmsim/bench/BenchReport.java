package org.ttmsim.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@code ttmsim bench} run, with their baselines and the targets of issue 7: a table
 * for people and one JSON object for scripts (the headline keys first, then the raw figures).
 */
public final class BenchReport {
    /** Engine pages per second at least this fraction of raw AES/ECB. */
    public static final double TARGET_ENGINE_VS_AES = 0.7;
    /** Mapped writes at least this fraction of arraycopy + raw AES. */
    public static final double TARGET_MAPPED_WRITES_VS_COPY = 0.5;
    /** First-touch faults per second on one core. */
    public static final double TARGET_FAULTS_PER_SECOND = 1_000_000;
    /** Issue #15: matrix cells per second on one core (ten times the 51/s measured before). */
    public static final double TARGET_MATRIX_CELLS_PER_SECOND = 500;
    /** Issue #15: the slowest built-in cell, warm, below this many ms. */
    public static final double TARGET_SLOWEST_CELL_MS = 100;
    /** Heap per touched frame below this many bytes (1.25 x 4 KiB). */
    public static final double TARGET_HEAP_PER_TOUCHED_FRAME = 1.25 * 4096;
    /** Heap per untouched GiB of RAM below this many bytes. */
    public static final double TARGET_HEAP_PER_UNTOUCHED_GIB = 1024;
    /** Issue #14: explored states per second per core on the built-in scopes, "the class of TLC". */
    public static final double TARGET_EXPLORE_STATES_PER_SECOND = 100_000;

    private final BenchConfig config;
    private final EngineBench.Result engine;
    private final MappedWriteBench.Result writes;
    private final FaultBench.Result faults;
    private final MatrixBench.Result matrix;
    private final HeapBench.Result heap;
    private final ExploreBench.Result explore;

    BenchReport(final BenchConfig config, final EngineBench.Result engine, final MappedWriteBench.Result writes,
            final FaultBench.Result faults, final MatrixBench.Result matrix, final HeapBench.Result heap,
            final ExploreBench.Result explore) {
        this.config = config;
        this.engine = engine;
        this.writes = writes;
        this.faults = faults;
        this.matrix = matrix;
        this.heap = heap;
        this.explore = explore;
    }

    /** Every figure by its JSON key, headline figures first. */
    public Map<String, Object> figures() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine_vs_aes", engine.ratio());
        m.put("mapped_writes_vs_copy", writes.ratio());
        m.put("faults_per_second", faults.faultsPerSecond());
        m.put("matrix_cells_per_second", matrix.cellsPerSecond());
        m.put("slowest_cell_ms", matrix.slowestCellMs());
        m.put("heap_bytes_per_touched_frame", heap.bytesPerTouchedFrame());
        m.put("heap_bytes_per_untouched_gib", heap.bytesPerUntouchedGib());
        m.put("explore_states_per_second", explore.statesPerSecond());
        m.put("explore_states", explore.states());
        m.put("explore_sequences", explore.sequences());
        m.put("engine_pages_per_second", engine.enginePagesPerSecond());
        m.put("aes_ecb_pages_per_second", engine.aesPagesPerSecond());
        m.put("mapped_write_bytes_per_second", writes.bytesPerSecond());
        m.put("copy_aes_bytes_per_second", writes.baselineBytesPerSecond());
        m.put("fault_handler_faults_per_second", faults.handlerFaultsPerSecond());
        m.put("first_touch_pages", faults.pages());
        m.put("first_touch_faults", faults.faults());
        m.put("matrix_cells", matrix.cells());
        m.put("matrix_cells_timed", matrix.timedCells());
        m.put("matrix_runnable_cells_per_second", matrix.runnableCellsPerSecond());
        m.put("matrix_runnable_cells_timed", matrix.runnableTimedCells());
        m.put("matrix_cells_per_second_per_jvm", matrix.forkCellsPerSecond());
        m.put("slowest_cell", matrix.slowestCell());
        m.put("heap_world_bytes_1gib", heap.worldBytes()[0]);
        m.put("heap_world_bytes_64gib", heap.worldBytes()[1]);
        m.put("heap_world_bytes_1tib", heap.worldBytes()[2]);
        m.put("targets_met", config.quick() ? null : targetsMet()); // a quick run judges no target
        m.put("quick", config.quick());
        m.put("rounds", config.rounds());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** Which of the targets this run met, by headline key. */
    public Map<String, Boolean> targetsMet() {
        final Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("engine_vs_aes", engine.ratio() >= TARGET_ENGINE_VS_AES);
        m.put("mapped_writes_vs_copy", writes.ratio() >= TARGET_MAPPED_WRITES_VS_COPY);
        m.put("faults_per_second", faults.faultsPerSecond() >= TARGET_FAULTS_PER_SECOND);
        m.put("matrix_cells_per_second", matrix.cellsPerSecond() >= TARGET_MATRIX_CELLS_PER_SECOND);
        m.put("slowest_cell_ms", matrix.slowestCellMs() < TARGET_SLOWEST_CELL_MS);
        m.put("heap_bytes_per_touched_frame", heap.bytesPerTouchedFrame() < TARGET_HEAP_PER_TOUCHED_FRAME);
        m.put("heap_bytes_per_untouched_gib", heap.bytesPerUntouchedGib() < TARGET_HEAP_PER_UNTOUCHED_GIB);
        m.put("explore_states_per_second", explore.statesPerSecond() >= TARGET_EXPLORE_STATES_PER_SECOND);
        return m;
    }

    /** One JSON object on one line. */
    public String json() {
        try {
            return new ObjectMapper().writeValueAsString(figures());
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a target was met, as the table says it: not judged on a --quick run (too short to compare). */
    private String judged(final Boolean met) {
        return config.quick() ? "-" : yes(met);
    }

    /** The human table: each figure, its baseline beside it, the target and whether it was met. */
    public String table() {
        final Map<String, Boolean> met = targetsMet();
        final java.util.List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"figure", "value", "baseline (same run)", "target", "met"});
        rows.add(new String[] {"engine vs raw AES/ECB",
                ratio(engine.ratio()) + " (" + num(engine.enginePagesPerSecond()) + " pg/s)",
                "AES/ECB enc+dec " + num(engine.aesPagesPerSecond()) + " pg/s", ">= " + TARGET_ENGINE_VS_AES,
                judged(met.get("engine_vs_aes"))});
        rows.add(new String[] {"mapped writes vs copy + AES",
                ratio(writes.ratio()) + " (" + mib(writes.bytesPerSecond()) + ")",
                "arraycopy + AES/ECB " + mib(writes.baselineBytesPerSecond()), ">= " + TARGET_MAPPED_WRITES_VS_COPY,
                judged(met.get("mapped_writes_vs_copy"))});
        rows.add(new String[] {"first-touch faults per second",
                num(faults.faultsPerSecond()) + " /s",
                "handler alone " + num(faults.handlerFaultsPerSecond()) + " /s", ">= 1,000,000",
                judged(met.get("faults_per_second"))});
        rows.add(new String[] {"", faults.faults() + " faults / " + faults.pages() + " pages",
                "", "", ""});
        rows.add(new String[] {"matrix cells per second (1 core)",
                num(matrix.cellsPerSecond()) + " /s", matrix.timedCells() + " of the " + matrix.cells()
                        + " cells, 1 thread", ">= 500", judged(met.get("matrix_cells_per_second"))});
        rows.add(new String[] {"", "runnable: " + num(matrix.runnableCellsPerSecond()) + " /s",
                matrix.runnableTimedCells() + " cells that run (the rest: n/a)", "", ""});
        rows.add(new String[] {"slowest built-in cell (warm)",
                String.format(Locale.ROOT, "%.1f ms", matrix.slowestCellMs()), matrix.slowestCell(), "< 100 ms",
                judged(met.get("slowest_cell_ms"))});
        rows.add(new String[] {"heap per touched 4 KiB frame",
                num(heap.bytesPerTouchedFrame()) + " B",
                "the frame's 4096 B: " + ratio(heap.bytesPerTouchedFrame() / 4096) + "x", "< 5120 B",
                judged(met.get("heap_bytes_per_touched_frame"))});
        rows.add(new String[] {"heap per untouched GiB of RAM",
                num(heap.bytesPerUntouchedGib()) + " B",
                "worlds " + kib(heap.worldBytes()[0]) + " / " + kib(heap.worldBytes()[1]) + " / "
                        + kib(heap.worldBytes()[2]) + " (1G/64G/1T)", "< 1024 B",
                judged(met.get("heap_bytes_per_untouched_gib"))});
        rows.add(new String[] {"explored states per second (1 core)",
                num(explore.statesPerSecond()) + " /s", explore.states() + " states, " + explore.sequences()
                        + " runs, built-in scopes", ">= 100,000", judged(met.get("explore_states_per_second"))});
        final StringBuilder sb = new StringBuilder();
        final int[] width = new int[rows.get(0).length];
        for (final String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (final String[] row : rows) { // each column as wide as its longest cell
            final StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(row[c]).append(" ".repeat(c + 1 < row.length ? width[c] - row[c].length() + 2 : 0));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        if (config.quick()) {
            sb.append("(--quick: a smoke run; the figures are not comparable with a full run, so no target is judged)\n");
        }
        return sb.toString();
    }

    private static String ratio(final double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    private static String num(final double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String mib(final double bytesPerSecond) {
        return String.format(Locale.ROOT, "%,.0f MiB/s", bytesPerSecond / (1 << 20));
    }

    private static String kib(final long bytes) {
        return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
    }

    private static String yes(final Boolean b) {
        return Boolean.TRUE.equals(b) ? "yes" : "NO";
    }
}
