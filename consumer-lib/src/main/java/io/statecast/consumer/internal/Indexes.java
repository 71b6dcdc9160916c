package io.statecast.consumer.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Secondary indexes (like informer indexers): index name → index value → keys. Guarded by the view's lock.
 * An extractor that throws on a value leaves that value out of its index, reported (user code must not
 * fail the view); it is reported when the value comes in, not again when it leaves.
 */
final class Indexes<V> {
    private final Map<String, Function<V, ?>> extractors;
    private final Map<String, Map<Object, Set<String>>> byName = new HashMap<>();
    private final CallbackFailures failures;

    Indexes(Map<String, Function<V, ?>> extractors, CallbackFailures failures) {
        this.failures = failures;
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
            Object before = oldValue == null ? null : extract(e, key, oldValue, false);
            Object after = newValue == null ? null : extract(e, key, newValue, true);
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

    // An extractor that threw on the old value threw when it came in, so the key is in no bucket of it.
    private Object extract(Map.Entry<String, Function<V, ?>> e, String key, V value, boolean report) {
        try {
            return e.getValue().apply(value);
        } catch (RuntimeException x) {
            if (report) {
                failures.failed("index '" + e.getKey() + "'", "key " + key, x);
            }
            return null;
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
