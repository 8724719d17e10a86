package org.ttmsim.gen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.ttmsim.gen.GenScenario.GenStep;
import org.ttmsim.gen.GenScenario.Header;
import org.ttmsim.gen.GenScenario.Place;
import org.ttmsim.gen.GenScenario.Size;
import org.ttmsim.gen.GenScenario.Text;
import org.ttmsim.scenario.Scenario;
import org.ttmsim.scenario.ScenarioException;
import org.ttmsim.scenario.ScenarioParser;

/**
 * Shrinks a failing generated scenario to a small one that still fails the same way, greedily and
 * deterministically (no randomness: the same input and predicate give the same result).
 *
 * <p>Each round tries, in this order, and keeps every candidate that still fails:
 * <ol>
 *   <li>removing chunks of steps, halving the chunk size down to single steps (delta debugging), then
 *       any two steps together once there are at most {@value #PAIR_LIMIT};</li>
 *   <li>removing a BO or a mapping with every step that names it (drops unused creates and mmaps,
 *       and the accesses that hang on them);</li>
 *   <li>simplifying each step's arguments: BO sizes to 4 KiB or 64 KiB, offsets to 0 (left out),
 *       lengths to 1, data to {@code "x"}, placements to one place ({@code system}, else {@code tt}, else {@code vram}) without flags, pool-shrink pages to
 *       1, and optional arguments (caching, type, priority, process, private, prot) left out;</li>
 *   <li>setting each machine, device, design and inject field to its default (left out), and
 *       dropping injected faults one by one;</li>
 * </ol>
 * rounds repeat until none changes anything, then BOs and mappings are renamed {@code A, B, …} and
 * {@code m1, m2, …} in order of appearance. Every candidate is printed as YAML and parsed with the
 * real parser first; candidates it rejects are discarded, so the result is always valid input. The
 * failure predicate sees the parsed scenario; it decides what "the same way" means (the test keeps
 * the design, the mode and the error's root cause fixed).
 *
 * <p>Replay: shrinking is a pure function of the scenario and the predicate, so the test's
 * reproduce line re-creates the same minimal file. Not covered: shrinking the number of BOs by
 * merging them, shrinking data byte by byte, or searching other designs and modes for a smaller
 * failure; a run of {@code maxCandidates} candidates stops the search early (the result is then
 * small but not minimal).
 */
final class Shrinker {

    /** The outcome: the smallest scenario found, and how much work it took. */
    record Result(GenScenario minimal, int candidates, int accepted, boolean exhausted) {
    }

    private final ScenarioParser parser;
    private final Predicate<Scenario> failing;
    private final int maxCandidates;
    private final Map<String, Boolean> tried = new HashMap<>();
    private int candidates;
    private int accepted;

    /**
     * @param parser        the parser that validates every candidate
     * @param failing       whether a (valid) candidate still fails the way the original did
     * @param maxCandidates the most candidates to run before settling for what is found
     */
    Shrinker(final ScenarioParser parser, final Predicate<Scenario> failing, final int maxCandidates) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.failing = Objects.requireNonNull(failing, "failing");
        this.maxCandidates = maxCandidates;
    }

    /** Shrinks {@code start}, which must itself fail. */
    Result shrink(final GenScenario start) {
        if (!accepts(start)) {
            throw new IllegalArgumentException("the scenario to shrink does not fail:\n" + start.yaml());
        }
        GenScenario s = start;
        boolean changed = true;
        while (changed && !exhausted()) {
            final GenScenario before = s;
            s = removeChunks(s);
            s = removePairs(s);
            s = removeNames(s);
            s = simplifyArguments(s);
            s = simplifyHeader(s);
            changed = !s.equals(before);
        }
        s = firstAccepted(s, List.of(canonicalNames(s)));
        return new Result(s, candidates, accepted, exhausted());
    }

    /**
     * Whether {@code candidate} parses and still fails. Each distinct text is run once; after
     * {@code maxCandidates} runs every new candidate is refused.
     */
    boolean accepts(final GenScenario candidate) {
        final String yaml = candidate.yaml();
        final Boolean known = tried.get(yaml);
        if (known != null) {
            return known;
        }
        if (exhausted()) {
            return false;
        }
        boolean fails;
        try {
            final Scenario parsed = parser.parse(candidate.header().name() + ".yaml", yaml);
            candidates++;
            fails = failing.test(parsed);
        } catch (final ScenarioException e) {
            fails = false;
        }
        tried.put(yaml, fails);
        if (fails) {
            accepted++;
        }
        return fails;
    }

    private boolean exhausted() {
        return candidates >= maxCandidates;
    }

    /** Delta debugging over the steps: chunks of half the steps, then quarters, …, then single steps. */
    private GenScenario removeChunks(final GenScenario start) {
        GenScenario s = start;
        for (int chunk = Math.max(1, s.steps().size() / 2); chunk >= 1; chunk /= 2) {
            int i = 0;
            while (i < s.steps().size() && s.steps().size() > 1) {
                final List<GenStep> steps = new ArrayList<>(s.steps());
                steps.subList(i, Math.min(i + chunk, steps.size())).clear();
                final GenScenario candidate = s.withSteps(steps);
                if (!steps.isEmpty() && accepts(candidate)) {
                    s = candidate;
                } else {
                    i += chunk;
                }
            }
        }
        return s;
    }

    /**
     * Removes any two steps together, when there are at most {@value #PAIR_LIMIT}: a create and a
     * destroy of the same name, for one, cannot go one at a time (the parser refuses either half).
     */
    private GenScenario removePairs(final GenScenario start) {
        GenScenario s = start;
        for (int i = 0; i < s.steps().size() && s.steps().size() <= PAIR_LIMIT; i++) {
            for (int j = i + 1; j < s.steps().size(); j++) {
                final List<GenStep> steps = new ArrayList<>(s.steps());
                steps.remove(j);
                steps.remove(i);
                final GenScenario candidate = s.withSteps(steps);
                if (!steps.isEmpty() && accepts(candidate)) {
                    s = candidate;
                    j = i; // the steps after i moved up: try again from i + 1
                }
            }
        }
        return s;
    }

    /** Most steps for which {@link #removePairs} tries every pair. */
    static final int PAIR_LIMIT = 12;

    /** Removes each BO (and its mappings) or each mapping with every step that names it. */
    private GenScenario removeNames(final GenScenario start) {
        GenScenario s = start;
        for (final String bo : names(s, "bo")) {
            final Set<String> maps = new LinkedHashSet<>();
            for (final GenStep step : s.steps()) {
                if (step.op().equals("mmap") && bo.equals(step.arg("bo"))) {
                    maps.add((String) step.arg("as"));
                }
            }
            s = firstAccepted(s, List.of(without(s, bo, maps)));
        }
        for (final String map : names(s, "as")) {
            s = firstAccepted(s, List.of(without(s, null, Set.of(map))));
        }
        return s;
    }

    private static GenScenario without(final GenScenario s, final String bo, final Set<String> maps) {
        final List<GenStep> kept = new ArrayList<>();
        for (final GenStep step : s.steps()) {
            final Object as = step.arg("as");
            final Object map = step.arg("map");
            final boolean named = (bo != null && bo.equals(step.arg("bo"))) || (as != null && maps.contains(as))
                    || (map != null && maps.contains(map));
            if (!named) {
                kept.add(step);
            }
        }
        return s.withSteps(kept);
    }

    /** The distinct values of argument {@code key} over the steps, in order of appearance. */
    private static List<String> names(final GenScenario s, final String key) {
        final Set<String> out = new LinkedHashSet<>();
        for (final GenStep step : s.steps()) {
            if (step.arg(key) instanceof String name) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private GenScenario simplifyArguments(final GenScenario start) {
        GenScenario s = start;
        for (int i = 0; i < s.steps().size(); i++) {
            for (final String key : List.copyOf(s.steps().get(i).args().keySet())) {
                final GenStep step = s.steps().get(i);
                final List<GenScenario> options = new ArrayList<>();
                for (final Object v : simpler(step.op(), key, step.arg(key))) {
                    final List<GenStep> steps = new ArrayList<>(s.steps());
                    steps.set(i, step.with(key, v));
                    options.add(s.withSteps(steps));
                }
                s = firstAccepted(s, options);
            }
        }
        return s;
    }

    /** Simpler values for one argument, simplest first; {@code null} means "leave the key out". */
    private static List<Object> simpler(final String op, final String key, final Object value) {
        final List<Object> out = new ArrayList<>();
        switch (key) {
            case "size" -> {
                final long bytes = ((Size) value).bytes();
                for (final long b : new long[] {4096, 65536}) {
                    if (b < bytes) {
                        out.add(new Size(b));
                    }
                }
            }
            case "offset" -> out.add(null);
            case "length" -> {
                if (((Size) value).bytes() > 1) {
                    out.add(new Size(1));
                }
            }
            case "data" -> {
                if (!new Text("x").equals(value)) {
                    out.add(new Text("x"));
                }
            }
            case "placement" -> out.addAll(simplerPlacements((List<?>) value));
            case "pages" -> {
                if (((Number) value).longValue() > 1) {
                    out.add(1L);
                }
            }
            case "caching", "type", "priority", "process", "private" -> out.add(null);
            case "prot" -> {
                if (op.equals("mmap")) {
                    out.add(null);
                }
            }
            default -> {
                // bo, as, map: names are handled by removeNames and canonicalNames
            }
        }
        return out;
    }

    /**
     * One plain place — {@code system}, {@code tt}, {@code vram}, in that fixed order, so that failures
     * that differ only in where a BO was placed shrink to the same file — then fewer places, then the
     * same places without flags. An empty placement (a purge) stays empty.
     */
    private static List<Object> simplerPlacements(final List<?> places) {
        final List<Object> out = new ArrayList<>();
        if (places.isEmpty()) {
            return out;
        }
        final List<String> order = List.of("system", "tt", "vram");
        // a single plain place only gets simpler ones (no cycle between equally failing places)
        final int limit = places.size() == 1 && places.get(0) instanceof String t ? order.indexOf(t) : order.size();
        for (final String type : order.subList(0, limit)) {
            out.add(List.of(type));
        }
        if (places.size() > 1) {
            for (int i = 0; i < places.size(); i++) {
                final List<Object> fewer = new ArrayList<>(places);
                fewer.remove(i);
                out.add(fewer);
            }
        }
        final List<Object> plain = new ArrayList<>();
        for (final Object p : places) {
            plain.add(p instanceof Place pl ? pl.type() : p);
        }
        if (!plain.equals(places)) {
            out.add(plain);
        }
        return out;
    }

    private GenScenario simplifyHeader(final GenScenario start) {
        GenScenario s = start;
        for (final Map.Entry<String, Object> f : start.header().fields()) {
            final Header h = s.header();
            if (f.getValue() == null) {
                continue;
            }
            final List<GenScenario> options = new ArrayList<>();
            options.add(s.withHeader(h.without(f.getKey())));
            if (f.getKey().equals("inject") && h.inject() != null) {
                for (int i = 0; i < h.inject().size(); i++) {
                    final List<String> fewer = new ArrayList<>(h.inject());
                    fewer.remove(i);
                    options.add(s.withHeader(h.with("inject", fewer)));
                }
            }
            s = firstAccepted(s, options);
        }
        return s;
    }

    /** BOs renamed A, B, … and mappings m1, m2, … in order of first appearance. */
    private static GenScenario canonicalNames(final GenScenario s) {
        final Map<String, String> bos = new LinkedHashMap<>();
        final Map<String, String> maps = new LinkedHashMap<>();
        for (final GenStep step : s.steps()) {
            if (step.arg("bo") instanceof String bo) {
                bos.computeIfAbsent(bo, b -> String.valueOf((char) ('A' + bos.size())));
            }
            if (step.arg("as") instanceof String as) {
                maps.computeIfAbsent(as, m -> "m" + (maps.size() + 1));
            }
        }
        final List<GenStep> steps = new ArrayList<>();
        for (final GenStep step : s.steps()) {
            steps.add(step.renamed(bos::get, m -> maps.getOrDefault(m, m)));
        }
        return s.withSteps(steps);
    }

    /** The first of {@code options} that still fails, or {@code current}. */
    private GenScenario firstAccepted(final GenScenario current, final List<GenScenario> options) {
        for (final GenScenario o : options) {
            if (!o.equals(current) && accepts(o)) {
                return o;
            }
        }
        return current;
    }
}
