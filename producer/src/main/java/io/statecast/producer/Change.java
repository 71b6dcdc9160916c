package io.statecast.producer;

import io.statecast.common.StatecastException;
import io.statecast.schemas.Op;

/**
 * One requested change of one key: an upsert with a value, or a delete; optionally a compare-and-set
 * on the key's current version ({@code expectedVersion}, 0 = the key must not exist).
 */
public record Change<V>(Op op, String key, V value, Long expectedVersion) {
    public Change {
        if (key == null) {
            throw new StatecastException("A change needs a key (null keys are rejected by the materializer)");
        }
        if (op == Op.UPSERT && value == null) {
            throw new StatecastException(
                    "An upsert of key '" + key + "' needs a value; use a delete to remove the key");
        }
        if (op == Op.DELETE && value != null) {
            throw new StatecastException("A delete of key '" + key + "' carries no value");
        }
        if (expectedVersion != null && expectedVersion < 0) {
            throw new StatecastException("expectedVersion of key '" + key + "' must be >= 0, was " + expectedVersion);
        }
    }

    public static <V> Change<V> upsert(String key, V value) {
        return new Change<>(Op.UPSERT, key, value, null);
    }

    public static <V> Change<V> upsert(String key, V value, long expectedVersion) {
        return new Change<>(Op.UPSERT, key, value, expectedVersion);
    }

    public static <V> Change<V> delete(String key) {
        return new Change<>(Op.DELETE, key, null, null);
    }

    public static <V> Change<V> delete(String key, long expectedVersion) {
        return new Change<>(Op.DELETE, key, null, expectedVersion);
    }
}
