package org.ttmsim.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unmodifiable, order-keeping copies of the maps and lists inside the scenario records. */
final class Frozen {

    private Frozen() {
    }

    /** An unmodifiable copy that keeps insertion order (unlike {@link Map#copyOf}). */
    static <K, V> Map<K, V> map(final Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** A deep unmodifiable copy of a tree of maps, lists and scalar values; nulls allowed. */
    static Object tree(final Object value) {
        if (value instanceof Map<?, ?> map) {
            final Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, tree(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            final List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(tree(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** A deep unmodifiable copy of {@code expect.state}. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> state(final Map<String, Map<String, Object>> state) {
        final Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, (Map<String, Object>) tree(v)));
        return Collections.unmodifiableMap(copy);
    }
}
