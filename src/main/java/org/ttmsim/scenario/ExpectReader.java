package org.ttmsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code expect:} section: the exact set of invariant ids, and final-state checks whose
 * top-level keys must be {@code managers} or a BO some step creates.
 */
final class ExpectReader {

    /** Most values (mappings, lists and scalars) {@code expect.state} may hold. */
    static final int MAX_STATE_VALUES = 10_000;

    private static final List<String> KEYS = List.of("violations", "state", "cases", "costs");
    private static final List<String> CASE_KEYS = List.of("design", "mode", "kernel", "violations", "note", "costs",
            "results", "state");
    /** SPEC §3 cost counters an expectation may pin. */
    static final List<String> COST_KEYS = List.of("faults", "ptes_inserted", "ptes_zapped", "tlb_shootdowns",
            "cache_flush_pages", "pages_decrypted", "pages_encrypted", "hypercalls", "swiotlb_bytes", "bytes_moved",
            "pool_hits", "pool_misses", "simulated_ns");
    /** State keys whose values may be written as sizes ({@code 64KiB}) and are kept in bytes. */
    private static final List<String> SIZE_KEYS = List.of("size", "usage");

    private int values;

    private ExpectReader() {
    }

    /** The expectations of {@code node}, or {@link Expect#none()} when absent. */
    static Expect read(final Located node, final Names names) throws ScenarioException {
        return read(node, names, Integer.MAX_VALUE);
    }

    /** The same; {@code results:} of a case may name steps 1..{@code steps}. */
    static Expect read(final Located node, final Names names, final int steps) throws ScenarioException {
        if (node == null) {
            return Expect.none();
        }
        final YamlMap m = node.asMap("a mapping such as {violations: [], state: {A: {placement: vram}}}")
                .allowOnly(KEYS);
        final List<String> violations = m.has("violations") ? Values.distinctWords(m.get("violations"),
                Vocabulary.INVARIANTS, "a list of invariant ids such as [cpu-garbage], or [] for none") : null;
        final Map<String, Map<String, Object>> state = m.has("state")
                ? new ExpectReader().state(m.get("state"), names) : Map.of();
        final List<Expect.Case> cases = m.has("cases") ? cases(m.get("cases"), names, steps) : List.of();
        final Map<String, Long> costs = m.has("costs") ? costs(m.get("costs")) : Map.of();
        return new Expect(violations, state, cases, costs);
    }

    /** {@code cases: [{design: pre-2019, mode: [sev, sev-snp], violations: [cpu-garbage], note: "..."}]}. */
    private static List<Expect.Case> cases(final Located node, final Names names, final int steps)
            throws ScenarioException {
        final List<Expect.Case> out = new ArrayList<>();
        for (final Located item : node.asList("a list of cases such as [{design: pre-2019, mode: sev, "
                + "violations: [cpu-garbage]}]")) {
            final YamlMap c = item.asMap("a case such as {design: pre-2019, mode: sev, violations: [cpu-garbage]}")
                    .allowOnly(CASE_KEYS);
            final List<String> designs = c.has("design") ? wordOrList(c.get("design"), Vocabulary.DESIGNS,
                    "a design id or a list of them") : List.of();
            final List<String> modes = c.has("mode") ? wordOrList(c.get("mode"), Vocabulary.ENCRYPTIONS,
                    "a mode or a list of modes") : List.of();
            final List<org.ttmsim.release.KernelRange> kernels = c.has("kernel") ? kernels(c.get("kernel"))
                    : List.of();
            final List<String> violations = Values.distinctWords(c.require("violations",
                    "the exact list of invariant ids, [] for none"), Vocabulary.INVARIANTS,
                    "a list of invariant ids such as [cpu-garbage], or [] for none");
            final String note = c.has("note") ? c.get("note").text() : null;
            final Map<String, Long> costs = c.has("costs") ? costs(c.get("costs")) : Map.of();
            final Map<Integer, String> results = c.has("results") ? results(c.get("results"), steps) : Map.of();
            final Map<String, Map<String, Object>> state = c.has("state")
                    ? new ExpectReader().state(c.get("state"), names) : Map.of();
            out.add(new Expect.Case(designs, modes, kernels, violations, note, item.pos(), costs, results, state));
        }
        return out;
    }

    /** {@code results: {1: ENOMEM, 3: EIO}}: step index to the result that step must have. */
    private static Map<Integer, String> results(final Located node, final int steps) throws ScenarioException {
        final YamlMap m = node.asMap("a mapping from step index to result, such as {1: ok, 3: EIO}");
        final Map<Integer, String> out = new java.util.TreeMap<>();
        for (final String k : m.keys()) {
            final int index;
            try {
                index = Integer.parseInt(k);
            } catch (final NumberFormatException e) {
                throw m.keyNode(k).fail("expected a step index from 1 to " + steps + ", found " + Located.quote(k));
            }
            if (index < 1 || index > steps) {
                throw m.keyNode(k).fail("expected a step index from 1 to " + steps + ", found " + index);
            }
            out.put(index, Values.oneOf(m.get(k), Vocabulary.RESULTS));
        }
        return out;
    }

    /** {@code kernel: v6.9}, {@code kernel: v5.7..v6.8}, or a list of releases and ranges. */
    private static List<org.ttmsim.release.KernelRange> kernels(final Located v) throws ScenarioException {
        final List<Located> items = v.isList() ? v.asList("a list of releases or ranges such as [v5.6, v6.9..]")
                : List.of(v);
        final List<org.ttmsim.release.KernelRange> out = new ArrayList<>();
        for (final Located item : items) {
            if (!item.isScalar() || item.isNull()) {
                throw item.expected("a kernel release such as v6.9, or a range such as v5.7..v6.8");
            }
            try {
                out.add(org.ttmsim.release.KernelRange.parse(item.text()));
            } catch (final IllegalArgumentException e) {
                throw item.fail(e.getMessage());
            }
        }
        return out;
    }

    /** {@code costs: {pages_decrypted: 256, pool_hits: 99}}: exact counter values. */
    private static Map<String, Long> costs(final Located node) throws ScenarioException {
        final YamlMap m = node.asMap("a mapping of cost counters to exact values, such as {faults: 1}")
                .allowOnly(COST_KEYS);
        final Map<String, Long> out = new LinkedHashMap<>();
        for (final String k : m.keys()) {
            out.put(k, Values.integer(m.get(k), 0, Long.MAX_VALUE));
        }
        return out;
    }

    private static List<String> wordOrList(final Located v, final List<String> words, final String form)
            throws ScenarioException {
        return v.isList() ? Values.distinctWords(v, words, form) : List.of(Values.oneOf(v, words));
    }

    private Map<String, Map<String, Object>> state(final Located node, final Names names) throws ScenarioException {
        final YamlMap m = node.asMap("a mapping from BO names (or managers, boot) to their expected state, such as "
                + "{A: {placement: vram}}");
        final Map<String, Map<String, Object>> state = new LinkedHashMap<>();
        for (final String key : m.keys()) {
            if (!Names.RESERVED.contains(key) && !names.boNames().contains(key)) {
                throw m.keyNode(key).fail("unknown BO '" + key + "'" + Suggest.didYouMean(key, names.boNames())
                        + " (expected " + String.join(", ", Names.RESERVED) + " or a BO the steps create"
                        + (names.boNames().isEmpty() ? ")" : ": " + String.join(", ", names.boNames()) + ")"));
            }
            final YamlMap entry = m.get(key).asMap("the state expected of '" + key + "', a mapping such as "
                    + "{placement: vram}");
            if (!Names.RESERVED.contains(key) && entry.has("placement")) {
                Values.oneOf(entry.get("placement"), Vocabulary.MEM_TYPES);
            }
            state.put(key, mapping(entry));
        }
        return state;
    }

    private Map<String, Object> mapping(final YamlMap m) throws ScenarioException {
        count(m.self());
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final String k : m.keys()) {
            out.put(k, value(m.get(k), k));
        }
        return out;
    }

    /** A tree value: String, Long, Boolean, Double, null, or maps and lists of them. */
    private Object value(final Located v, final String key) throws ScenarioException {
        if (!v.isScalar()) {
            return v.isList() ? list(v, key) : mapping(v.asMap("a mapping"));
        }
        count(v);
        if (v.isNull()) {
            return null;
        }
        if (v.isBool()) {
            return Values.bool(v);
        }
        if (v.isPlain() && Ints.matches(v.text())) {
            return Values.integer(v, Long.MIN_VALUE + 1, Long.MAX_VALUE);
        }
        if (SIZE_KEYS.contains(key) && Sizes.parse(v.text()) >= 0) {
            return Sizes.parse(v.text());
        }
        if (v.isPlain() && !v.isString()) {
            try {
                return Double.valueOf(v.text());
            } catch (final NumberFormatException e) {
                return v.text(); // .inf, .nan and other YAML floats Java does not spell: keep the text
            }
        }
        return v.text();
    }

    private List<Object> list(final Located v, final String key) throws ScenarioException {
        count(v);
        final List<Object> out = new ArrayList<>();
        for (final Located item : v.asList("a list")) {
            out.add(value(item, key));
        }
        return out;
    }

    private void count(final Located v) throws ScenarioException {
        if (++values > MAX_STATE_VALUES) {
            throw v.fail("expect.state holds more than " + MAX_STATE_VALUES + " values; check fewer things");
        }
    }
}
