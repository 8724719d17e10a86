package org.ttmsim.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.ttmsim.scenario.ScenarioException;

/**
 * One shard's output ({@code --shard K/N --out DIR} writes {@code DIR/explore-shard-K-of-N.json}): the
 * configurations' texts, the options, and per cell the sets that merge ({@link CellData}), states and
 * transitions as base64 of sorted 64-bit keys. {@code ttmsim explore-merge} reads every shard of 1..N and
 * prints what the one run prints.
 */
final class ShardFile {
    static final String FORMAT = "ttmsim-explore-shard/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A configuration as read: its name as given and its text. */
    record Source(String file, String text) {
    }

    /** A read shard. */
    record Shard(List<Source> sources, Explorer.Options options, List<CellData> cells) {
    }

    private ShardFile() {
    }

    static String name(final int shard, final int shards) {
        return "explore-shard-" + shard + "-of-" + shards + ".json";
    }

    static void write(final Path dir, final List<Source> sources, final Explorer.Options o, final List<CellData> cells)
            throws IOException {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("shard", o.shard());
        root.put("shards", o.shards());
        final ObjectNode opts = root.putObject("options");
        list(opts, "designs", o.designs());
        list(opts, "modes", o.modes());
        list(opts, "kernels", o.kernels());
        if (o.depth() != null) {
            opts.put("depth", o.depth());
        }
        opts.put("walks", o.walks());
        opts.put("seed", o.seed());
        opts.put("timing", o.timing());
        final ArrayNode src = root.putArray("configs");
        for (final Source s : sources) {
            src.addObject().put("file", s.file()).put("text", s.text());
        }
        final ArrayNode out = root.putArray("cells");
        for (final CellData d : cells) {
            final ObjectNode c = out.addObject();
            c.put("design", d.design).put("mode", d.mode).put("kernel", d.kernel).put("depth", d.depth)
                    .put("complete", d.complete).put("walks", d.walks).put("seconds", d.seconds)
                    .put("problem", d.problem);
            final ObjectNode cex = c.putObject("counterexamples");
            d.counterexamples.forEach((inv, path) -> {
                final ArrayNode a = cex.putArray(inv);
                Arrays.stream(path).forEach(a::add);
            });
            c.put("states", longs(sorted(d.states)));
            c.put("transitions", pairs(d.transitions));
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name(o.shard(), o.shards())), MAPPER.writeValueAsString(root) + "\n",
                StandardCharsets.UTF_8);
    }

    private static void list(final ObjectNode o, final String key, final List<String> values) {
        if (values != null) {
            final ArrayNode a = o.putArray(key);
            values.forEach(a::add);
        }
    }

    private static long[] sorted(final LongHashSet set) {
        final long[] a = new long[set.size()];
        int i = 0;
        for (final LongHashSet.LongIterator it = set.iterator(); it.hasNext();) {
            a[i++] = it.nextValue();
        }
        Arrays.sort(a);
        return a;
    }

    private static String longs(final long[] a) {
        final ByteBuffer b = ByteBuffer.allocate(a.length * 8);
        for (final long v : a) {
            b.putLong(v);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static String pairs(final Long2LongHashMap m) {
        final long[] keys = new long[m.size()];
        int i = 0;
        for (final Long2LongHashMap.KeyIterator it = m.keySet().iterator(); it.hasNext();) {
            keys[i++] = it.nextValue();
        }
        Arrays.sort(keys);
        final long[] flat = new long[keys.length * 2];
        for (int k = 0; k < keys.length; k++) {
            flat[2 * k] = keys[k];
            flat[2 * k + 1] = m.get(keys[k]);
        }
        return longs(flat);
    }

    private static long[] unlongs(final String s) {
        final ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s));
        final long[] a = new long[b.remaining() / 8];
        for (int i = 0; i < a.length; i++) {
            a[i] = b.getLong();
        }
        return a;
    }

    /** Every shard file in {@code dirs}. */
    static List<Path> find(final List<Path> dirs) throws IOException {
        final List<Path> files = new ArrayList<>();
        for (final Path d : dirs) {
            if (Files.isRegularFile(d)) {
                files.add(d);
                continue;
            }
            if (!Files.isDirectory(d)) {
                throw new IOException(d + ": no such directory");
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().matches("explore-shard-\\d+-of-\\d+\\.json")).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    static Shard read(final Path file, final Path out) throws IOException {
        final JsonNode root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(file + ": not a ttmsim explore shard file (format " + FORMAT + ")");
        }
        final JsonNode o = root.get("options");
        final Explorer.Options options = new Explorer.Options(strings(o.get("designs")), strings(o.get("modes")),
                strings(o.get("kernels")), o.has("depth") ? o.get("depth").asInt() : null, o.get("walks").asLong(),
                o.get("seed").asLong(), root.get("shard").asInt(), root.get("shards").asInt(), out,
                o.get("timing").asBoolean());
        final List<Source> sources = new ArrayList<>();
        for (final JsonNode s : root.get("configs")) {
            sources.add(new Source(s.get("file").asText(), s.get("text").asText()));
        }
        final List<CellData> cells = new ArrayList<>();
        for (final JsonNode c : root.get("cells")) {
            final CellData d = new CellData(c.get("design").asText(), c.get("mode").asText(),
                    c.get("kernel").isNull() ? null : c.get("kernel").asText());
            d.depth = c.get("depth").asInt();
            d.complete = c.get("complete").asBoolean();
            d.walks = c.get("walks").asLong();
            d.seconds = c.get("seconds").asDouble();
            d.problem = c.get("problem").isNull() ? null : c.get("problem").asText();
            for (final Iterator<Map.Entry<String, JsonNode>> it = c.get("counterexamples").fields(); it.hasNext();) {
                final Map.Entry<String, JsonNode> e = it.next();
                final int[] path = new int[e.getValue().size()];
                for (int i = 0; i < path.length; i++) {
                    path[i] = e.getValue().get(i).asInt();
                }
                d.counterexamples.put(e.getKey(), path);
            }
            for (final long k : unlongs(c.get("states").asText())) {
                d.states.add(k);
            }
            final long[] flat = unlongs(c.get("transitions").asText());
            for (int i = 0; i < flat.length; i += 2) {
                d.transitions.put(flat[i], flat[i + 1]);
            }
            cells.add(d);
        }
        return new Shard(sources, options, cells);
    }

    private static List<String> strings(final JsonNode a) {
        if (a == null || a.isNull()) {
            return null;
        }
        final List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }

    /** The configurations of a shard, read again from their texts. */
    static List<ExploreConfig> configs(final List<Source> sources) throws ScenarioException {
        final List<ExploreConfig> out = new ArrayList<>();
        for (final Source s : sources) {
            out.add(new ExploreConfigReader().read(s.file(), s.text()));
        }
        return out;
    }
}
