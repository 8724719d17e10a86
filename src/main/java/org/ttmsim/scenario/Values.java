package org.ttmsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed readers for scenario values: names, words from a closed set, booleans, integers and sizes in
 * a range, placements. Each failure names the key, the expected form and what was found.
 */
final class Values {

    /** Longest name of a scenario, BO, mapping or process. */
    static final int MAX_NAME = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final String NAME_FORM = "a name of letters, digits, '_', '-' or '.' (at most " + MAX_NAME
            + " characters)";

    private Values() {
    }

    /** A BO, mapping or process name. */
    static String name(final Located v) throws ScenarioException {
        if (!v.isScalar() || v.isNull() || v.text().length() > MAX_NAME || !NAME.matcher(v.text()).matches()) {
            throw v.expected(NAME_FORM);
        }
        return v.text();
    }

    /** Any non-empty text written as a scalar. */
    static String text(final Located v, final String expected) throws ScenarioException {
        if (!v.isScalar() || v.isNull() || v.text().isBlank()) {
            throw v.expected(expected);
        }
        return v.text();
    }

    /**
     * A kernel release the model knows, written {@code vMAJOR.MINOR} (docs/SCENARIOS.md, "design and kernel"); returned as written.
     * Quoted or not: YAML reads {@code v6.9} as text either way.
     */
    static String release(final Located v) throws ScenarioException {
        if (!v.isScalar() || v.isNull()) {
            throw v.expected("a kernel release such as v6.9");
        }
        try {
            return org.ttmsim.release.KernelRelease.parse(v.text()).id();
        } catch (final IllegalArgumentException e) {
            throw v.fail(e.getMessage());
        }
    }

    /** One word of {@code words}, suggesting the nearest on a miss. */
    static String oneOf(final Located v, final List<String> words) throws ScenarioException {
        if (!v.isScalar() || !words.contains(v.text())) {
            final String hint = v.isScalar() ? Suggest.didYouMean(v.text(), words) : "";
            throw v.fail("expected one of " + String.join(", ", words) + ", found " + v.describe() + hint);
        }
        return v.text();
    }

    /** {@code true} or {@code false} (YAML's other spellings such as {@code yes} too), unquoted. */
    static boolean bool(final Located v) throws ScenarioException {
        if (!v.isBool()) {
            throw v.fail("expected true or false, found " + v.describeAsNonString());
        }
        final String t = v.text().toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
    }

    /** An unquoted integer from {@code min} to {@code max}, decimal or 0x hex. */
    static long integer(final Located v, final long min, final long max) throws ScenarioException {
        final String form = max != Long.MAX_VALUE ? "an integer from " + min + " to " + max
                : min == 0 ? "a non-negative integer" : min == 1 ? "a positive integer" : "an integer";
        if (!v.isPlain() || !Ints.matches(v.text())) {
            throw v.fail("expected " + form + ", found " + v.describeAsNonString());
        }
        final long value = Ints.parse(v.text());
        if (value == Long.MIN_VALUE || value < min || value > max) {
            throw v.expected(form);
        }
        return value;
    }

    /**
     * A size in bytes from {@code min} to {@code max}, a multiple of 4096 when {@code pages}.
     *
     * @param noun    what the value is, with its article: "a size", "an offset", "a length"
     * @param example a valid value to show, such as {@code 64KiB}
     */
    static long size(final Located v, final String noun, final long min, final long max, final boolean pages,
                     final String example) throws ScenarioException {
        final long bytes = v.isScalar() && !v.isNull() ? Sizes.parse(v.text()) : -1;
        if (bytes < 0 && v.isScalar() && Sizes.isSpelledAsSize(v.text())) {
            throw v.expected(noun + " from " + Sizes.format(min) + " to " + Sizes.format(max)); // overflowed
        }
        if (bytes < 0 && v.isScalar() && !v.isNull() && v.text().strip().startsWith("-")) {
            throw v.expected(noun + " from " + Sizes.format(min) + " to " + Sizes.format(max) + " (not negative)");
        }
        if (bytes < 0) {
            final String form = pages ? pageForm(noun, example) : noun + " in bytes such as " + example;
            throw v.fail("expected " + form + " (integer bytes, or with a KiB/MiB/GiB/TiB suffix), found "
                    + v.describe() + (v.isScalar() ? Sizes.suggest(v.text()) : ""));
        }
        if (pages && bytes % Sizes.PAGE != 0) {
            throw v.expected(pageForm(noun, example));
        }
        if (bytes < min || bytes > max) {
            throw v.expected(noun + " from " + Sizes.format(min) + " to " + Sizes.format(max));
        }
        return bytes;
    }

    private static String pageForm(final String noun, final String example) {
        return noun + " that is a multiple of 4096 (4 KiB) such as " + example;
    }

    /** A placement: a list of places {@code system}, {@code tt}, {@code vram} or {@code {type, flags}}. */
    static List<PlaceSpec> placement(final Located v, final boolean allowEmpty) throws ScenarioException {
        final String form = "a placement: a list of places such as [vram, tt] or [{type: vram, flags: [contiguous]}]";
        final List<Located> items = v.asList(form);
        if (items.isEmpty() && !allowEmpty) {
            throw v.expected(form + " with at least one place");
        }
        final List<PlaceSpec> places = new ArrayList<>(items.size());
        for (final Located item : items) {
            places.add(place(item));
        }
        return places;
    }

    private static PlaceSpec place(final Located v) throws ScenarioException {
        if (v.isScalar()) {
            return PlaceSpec.of(oneOf(v, Vocabulary.MEM_TYPES));
        }
        final YamlMap map = v.asMap("a place: system, tt, vram or {type: vram, flags: [contiguous]}")
                .allowOnly(List.of("type", "flags"));
        final String type = oneOf(map.require("type", "the memory type: system, tt or vram"), Vocabulary.MEM_TYPES);
        final Located flags = map.get("flags");
        return new PlaceSpec(type, flags == null ? List.of() : distinctWords(flags, Vocabulary.PLACE_FLAGS,
                "a list of place flags such as [contiguous, topdown]"));
    }

    /** A list of words from {@code words}, each at most once, in the order written. */
    static List<String> distinctWords(final Located v, final List<String> words, final String form)
            throws ScenarioException {
        final List<String> out = new ArrayList<>();
        for (final Located item : v.asList(form)) {
            final String word = oneOf(item, words);
            if (out.contains(word)) {
                throw item.fail("'" + word + "' is listed twice; list each once");
            }
            out.add(word);
        }
        return out;
    }
}
