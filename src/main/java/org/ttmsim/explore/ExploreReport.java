package org.ttmsim.explore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ttmsim.check.Invariant;
import org.ttmsim.report.ResultJson;

/**
 * What {@code ttmsim explore} and {@code ttmsim explore-merge} print (README "Exploring"), from the cells' findings:
 * the shortest counterexample of each invariant per cell is shrunk and written as a scenario file, then a
 * table per configuration (a row per design and kernel, a column per mode; each cell "clean to depth N
 * (S states)" or the shortest counterexample's invariant and length), the counterexamples with their event
 * chains, and the coverage; or, with {@code --json}, one object per cell. Nothing here depends on the
 * wall clock except {@code seconds} in JSON (0 without timing), so the same findings print the same bytes.
 */
public final class ExploreReport {
    /** Evidence lines shown per counterexample (the file's {@code ttmsim run} shows all). */
    private static final int CHAIN_LINES = 6;

    private final List<ExploreConfig> configs;
    private final List<CellData> cells;
    private final Explorer.Options options;
    private final List<List<Counterexample>> found = new ArrayList<>();

    private ExploreReport(final List<ExploreConfig> configs, final List<CellData> cells, final Explorer.Options o) {
        this.configs = configs;
        this.cells = cells;
        this.options = o;
    }

    /**
     * Shrinks and writes the counterexamples of every cell into {@code o.out()} (when {@code write}) and
     * returns the report.
     */
    public static ExploreReport of(final List<ExploreConfig> configs, final List<CellData> cells,
            final Explorer.Options o, final boolean write) throws IOException {
        final ExploreReport r = new ExploreReport(configs, cells, o);
        final List<Explorer.Cell> layout = Explorer.cells(configs);
        if (write) {
            Files.createDirectories(o.out());
        }
        for (int i = 0; i < cells.size(); i++) {
            final CellData d = cells.get(i);
            final ExploreConfig config = configs.get(layout.get(i).config());
            final List<Counterexample> list = new ArrayList<>();
            if (write) {
                for (final Map.Entry<String, int[]> e : d.counterexamples.entrySet()) {
                    final String name = fileName(config, d, e.getKey());
                    final Path file = o.out().resolve(name);
                    final Counterexample c = Counterexample.of(config, d.design, d.mode, d.kernel, e.getKey(),
                            e.getValue(), name, file.toString());
                    Files.writeString(file, c.yaml(), StandardCharsets.UTF_8);
                    list.add(c);
                }
            }
            list.sort(Comparator.comparingInt(Counterexample::found).thenComparingInt(Counterexample::steps)
                    .thenComparing(Counterexample::invariant));
            r.found.add(list);
        }
        return r;
    }

    /** {@code NAME-DESIGN-MODE-KERNEL-INVARIANT.yaml}. */
    static String fileName(final ExploreConfig config, final CellData d, final String invariant) {
        return (config.name() + "-" + d.design + "-" + d.mode + "-" + Explorer.kernelOf(d.design, d.kernel) + "-"
                + invariant).replaceAll("[^A-Za-z0-9._-]", "_") + ".yaml";
    }

    /** Whether any cell broke an invariant (the command's exit code is 1 then). */
    public boolean anyCounterexample() {
        return cells.stream().anyMatch(c -> !c.counterexamples.isEmpty());
    }

    /** Whether any cell found a model error (exit 3). */
    public boolean anyModelError() {
        return cells.stream().anyMatch(c -> c.counterexamples.containsKey(CellData.MODEL_ERROR));
    }

    /** The human report. */
    public String text() {
        final StringBuilder sb = new StringBuilder();
        if (options.random()) {
            sb.append(String.format("random search: seed %d, %d walks per cell of at most depth-many operations;"
                    + " walk i draws with SplittableRandom(SplittableRandom(seed ^ i * 0x9E3779B97F4A7C15).nextLong())%n",
                    options.seed(), options.walks()));
        }
        if (options.shards() > 1) {
            sb.append(String.format("shard %d of %d: join the shards' --out directories with ttmsim explore-merge%n",
                    options.shard(), options.shards()));
        }
        final List<Explorer.Cell> layout = Explorer.cells(configs);
        for (int c = 0; c < configs.size(); c++) {
            table(sb, c, layout);
        }
        return sb.toString();
    }

    private void table(final StringBuilder sb, final int c, final List<Explorer.Cell> layout) {
        final ExploreConfig config = configs.get(c);
        if (sb.length() > 0) {
            sb.append(System.lineSeparator()); // a blank line after the header or the scope before, none first
        }
        final int ops = config.scope().ops().size();
        sb.append(String.format("%s (%s): %d %s, depth %d, %s%n", config.name(), config.file(), ops,
                ops == 1 ? "operation" : "operations", config.scope().depth(),
                options.random() ? "random walks" : "exhaustive breadth-first search"));
        final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        final List<String> modes = config.modes();
        for (int i = 0; i < layout.size(); i++) {
            if (layout.get(i).config() != c) {
                continue;
            }
            final CellData d = cells.get(i);
            final String row = d.design + " " + Explorer.kernelOf(d.design, d.kernel);
            rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(d.mode, cellText(d, config, i));
        }
        int width = 20;
        for (final String row : rows.keySet()) {
            width = Math.max(width, row.length() + 2);
        }
        int col = 10;
        for (final Map<String, String> r : rows.values()) {
            for (final String t : r.values()) {
                col = Math.max(col, t.length() + 2);
            }
        }
        final StringBuilder header = new StringBuilder(pad("design kernel", width));
        for (final String m : modes) {
            header.append(pad(m, col));
        }
        sb.append(header.toString().stripTrailing()).append('\n');
        for (final Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
            final StringBuilder line = new StringBuilder(pad(row.getKey(), width));
            for (final String m : modes) {
                line.append(pad(row.getValue().getOrDefault(m, "-"), col));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        for (int i = 0; i < layout.size(); i++) {
            if (layout.get(i).config() == c) {
                counterexamples(sb, cells.get(i), found.get(i), config);
            }
        }
        coverage(sb, c, layout);
    }

    private static String pad(final String s, final int w) {
        return s.length() >= w ? s + " " : String.format("%-" + w + "s", s);
    }

    /**
     * "clean to depth N (S states)", "none found to depth N (S states[, stopped: not exhaustive])", or the
     * shortest counterexample's invariant and length.
     */
    private String cellText(final CellData d, final ExploreConfig config, final int index) {
        if (d.problem != null) {
            return "n/a";
        }
        if (d.counterexamples.isEmpty()) {
            // Clean only when the search was exhaustive; a random sample or a search max-states stopped
            // found nothing, which is less.
            final String what = d.complete && !options.random() ? "clean to depth " : "none found to depth ";
            return what + d.depth + " (" + d.states.size() + " states" + (d.complete || options.random() ? ""
                    : ", stopped: not exhaustive") + ")";
        }
        String best = null;
        int len = Integer.MAX_VALUE;
        for (final Map.Entry<String, int[]> e : d.counterexamples.entrySet()) {
            if (e.getValue().length < len) {
                len = e.getValue().length;
                best = e.getKey();
            }
        }
        final int more = d.counterexamples.size() - 1;
        return best + " in " + len + (more > 0 ? " (+" + more + ")" : "");
    }

    private void counterexamples(final StringBuilder sb, final CellData d, final List<Counterexample> list,
            final ExploreConfig config) {
        if (d.problem != null) {
            sb.append(String.format("%n  %s / %s: not explored: %s%n", d.design, d.mode, d.problem));
            return;
        }
        for (final Counterexample c : list) {
            sb.append(String.format("%n  %s / %s / %s: %s, shortest found %d operation(s), shrunk to %d step(s): %s%n",
                    d.design, d.mode, Explorer.kernelOf(d.design, d.kernel), c.invariant(), c.found(), c.steps(),
                    options.out().resolve(c.fileName())));
            chain(sb, c);
        }
    }

    /** The steps and the violations with the first links of their event chains, as {@code run} prints them. */
    private static void chain(final StringBuilder sb, final Counterexample c) {
        int links = 0;
        for (final String line : c.runOutput().split("\n")) {
            final String t = line.strip();
            if (t.startsWith("<-")) {
                if (links++ < CHAIN_LINES) {
                    sb.append("  ").append(line).append('\n');
                }
                continue;
            }
            links = t.startsWith("violations") || t.contains(" at step ") ? 0 : links;
            if (line.startsWith("  ") && !t.startsWith("file:") && !t.startsWith("costs:")) {
                sb.append("  ").append(line).append('\n');
            }
        }
    }

    private void coverage(final StringBuilder sb, final int c, final List<Explorer.Cell> layout) {
        final ExploreConfig config = configs.get(c);
        long states = 0;
        long sequences = 0;
        long maxStates = 0;
        int depth = 0;
        boolean complete = true;
        final long[] perOp = new long[config.scope().ops().size()];
        final long[] perBit = new long[32];
        for (int i = 0; i < layout.size(); i++) {
            if (layout.get(i).config() != c || cells.get(i).problem != null) {
                continue;
            }
            final CellData d = cells.get(i);
            states += d.states.size();
            sequences += d.transitions.size();
            maxStates = Math.max(maxStates, d.states.size());
            depth = Math.max(depth, d.depth);
            complete &= d.complete;
            final long[] ops = d.perOperation(perOp.length);
            final long[] bits = d.perOutcomeBit();
            for (int k = 0; k < perOp.length; k++) {
                perOp[k] += ops[k];
            }
            for (int k = 0; k < 32; k++) {
                perBit[k] += bits[k];
            }
        }
        sb.append(String.format("%n  coverage: %d states, %d sequences (state x operation runs), depth %d, %s;"
                + " fingerprint collision odds at most %.1e per cell%n", states, sequences, depth,
                options.random() ? "a random sample, not exhaustive" : complete ? "exhaustive" : "NOT exhaustive"
                        + " (stopped by max-states or an interrupt)", Fingerprint.collisionOdds(maxStates)));
        sb.append("  runs per operation:\n");
        for (int k = 0; k < perOp.length; k++) {
            sb.append(String.format("    %8d  %s%n", perOp[k], config.scope().ops().get(k).yaml()));
        }
        sb.append("  runs that broke each invariant:");
        for (final Invariant inv : Invariant.values()) {
            sb.append(' ').append(inv.id()).append('=').append(perBit[inv.ordinal()]);
        }
        sb.append(" model-error=").append(perBit[CellData.MODEL_ERROR_BIT]).append('\n');
    }

    /** One JSON object per cell, one per line (README "Exploring" keys, then coverage). */
    public String json() {
        final StringBuilder sb = new StringBuilder();
        final List<Explorer.Cell> layout = Explorer.cells(configs);
        for (int i = 0; i < cells.size(); i++) {
            final CellData d = cells.get(i);
            final ExploreConfig config = configs.get(layout.get(i).config());
            final ObjectNode o = ResultJson.mapper().createObjectNode();
            o.put("config", config.file());
            o.put("design", d.design);
            o.put("mode", d.mode);
            o.put("kernel", Explorer.kernelOf(d.design, d.kernel));
            o.put("states", d.states.size());
            o.put("sequences", d.transitions.size());
            o.put("depth", d.depth);
            o.put("exhaustive", d.complete && !options.random() && d.problem == null);
            final ArrayNode files = o.putArray("counterexamples");
            final ObjectNode invariants = ResultJson.mapper().createObjectNode();
            for (final Counterexample c : found.get(i)) {
                files.add(options.out().resolve(c.fileName()).toString());
                invariants.put(c.invariant(), c.found());
            }
            o.put("seconds", Math.round(d.seconds * 1000) / 1000.0);
            o.set("shortest", invariants);
            if (options.random()) {
                o.put("seed", options.seed());
                o.put("walks", d.walks);
            }
            final ObjectNode ops = o.putObject("runs_per_operation");
            final long[] perOp = d.perOperation(config.scope().ops().size());
            for (int k = 0; k < perOp.length; k++) {
                ops.put(config.scope().ops().get(k).yaml(), perOp[k]);
            }
            final ObjectNode broke = o.putObject("runs_breaking");
            final long[] bits = d.perOutcomeBit();
            for (final Invariant inv : Invariant.values()) {
                broke.put(inv.id(), bits[inv.ordinal()]);
            }
            broke.put(CellData.MODEL_ERROR, bits[CellData.MODEL_ERROR_BIT]);
            o.put("collision_odds", String.format(Locale.ROOT, "%.1e", Fingerprint.collisionOdds(d.states.size())));
            if (d.problem != null) {
                o.put("problem", d.problem);
            }
            try {
                sb.append(ResultJson.mapper().writeValueAsString(o)).append('\n');
            } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }
}
