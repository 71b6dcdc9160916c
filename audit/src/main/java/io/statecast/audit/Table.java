package io.statecast.audit;

import java.util.Map;

/**
 * A replayed table: live entries by key, which topic it was rebuilt from, and a caveat when that
 * source may have lost history (a compacted {@code state} topic).
 */
public record Table(Map<String, Entry> entries, String source, String caveat) {
}
