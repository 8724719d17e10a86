package org.ttmsim.scenario;

import java.util.List;
import java.util.Map;

/**
 * A YAML mapping of a scenario, in document order, whose keys are checked against the keys its
 * section allows.
 */
final class YamlMap {

    private final Located self;
    private final Map<String, Located[]> entries; // key -> {key node, value node}

    YamlMap(final Located self, final Map<String, Located[]> entries) {
        this.self = self;
        this.entries = entries;
    }

    Located self() {
        return self;
    }

    /** The keys in document order. */
    Iterable<String> keys() {
        return entries.keySet();
    }

    boolean has(final String key) {
        return entries.containsKey(key);
    }

    /** The value under {@code key}, or null when absent. */
    Located get(final String key) {
        final Located[] entry = entries.get(key);
        return entry == null ? null : entry[1];
    }

    /** The key node itself, for messages about the key; null when absent. */
    Located keyNode(final String key) {
        final Located[] entry = entries.get(key);
        return entry == null ? null : entry[0];
    }

    /** The value under {@code key}; a missing key is an error that says what to write. */
    Located require(final String key, final String expected) throws ScenarioException {
        final Located value = get(key);
        if (value == null) {
            throw self.fail("missing required key '" + key + "' (" + expected + ")");
        }
        return value;
    }

    /** Rejects the first key (in document order) not in {@code allowed}, suggesting the nearest. */
    YamlMap allowOnly(final List<String> allowed) throws ScenarioException {
        for (final Map.Entry<String, Located[]> entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw unknownKey(entry.getValue()[0], allowed);
            }
        }
        return this;
    }

    private ScenarioException unknownKey(final Located key, final List<String> allowed) {
        final String prefix = self.path().isEmpty() ? "" : self.path() + ": ";
        return new ScenarioException(key.pos(), prefix + "unknown key '" + key.text() + "'"
                + Suggest.didYouMean(key.text(), allowed) + " (expected one of " + String.join(", ", allowed) + ")");
    }
}
