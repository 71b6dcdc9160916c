package io.statecast.consumer.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Secondary indexes (like informer indexers): index name → index value → keys. Guarded by the view's lock. */
final class Indexes<V> {
    private final Map<String, Function<V, ?>> extractors;
    private final Map<String, Map<Object, Set<String>>> byName = new HashMap<>();

    Indexes(Map<String, Function<V, ?>> extractors) {
        this.extractors = new LinkedHashMap<>(extractors);
        extractors.keySet().forEach(n -> byName.put(n, new HashMap<>()));
    }

    boolean isEmpty() {
        return extractors.isEmpty();
    }

    boolean has(String name) {
        return extractors.containsKey(name);
    }

    void update(String key, V oldValue, V newValue) {
        for (Map.Entry<String, Function<V, ?>> e : extractors.entrySet()) {
            Map<Object, Set<String>> index = byName.get(e.getKey());
            Object before = oldValue == null ? null : e.getValue().apply(oldValue);
            Object after = newValue == null ? null : e.getValue().apply(newValue);
            if (before != null && !before.equals(after)) {
                Set<String> keys = index.get(before);
                if (keys != null && keys.remove(key) && keys.isEmpty()) {
                    index.remove(before);
                }
            }
            if (after != null) {
                index.computeIfAbsent(after, k -> new HashSet<>()).add(key);
            }
        }
    }

    Set<String> keys(String name, Object value) {
        Set<String> keys = byName.get(name).get(value);
        return keys == null ? Set.of() : Collections.unmodifiableSet(new HashSet<>(keys));
    }

    void clear() {
        byName.values().forEach(Map::clear);
    }
}
