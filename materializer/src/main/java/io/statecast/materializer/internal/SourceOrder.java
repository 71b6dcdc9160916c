package io.statecast.materializer.internal;

import io.statecast.schemas.SourcePosition;

/**
 * The order of a captured change in its source's log, as {@code (position, sequence)} compared
 * lexicographically (docs/protocol.md, "Source positions"). A key's row keeps the last one applied, so that
 * a capture's replay after a crash creates no versions.
 */
public record SourceOrder(long position, long sequence) implements Comparable<SourceOrder> {

    /** The order of a change's source position, or null when the change has none (producer API). */
    static SourceOrder of(SourcePosition source) {
        return source == null ? null : new SourceOrder(source.getPosition(), source.getSequence());
    }

    @Override
    public int compareTo(SourceOrder o) {
        int c = Long.compare(position, o.position);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    /** True when a change at {@code incoming} is not newer than this one: a replay to drop. */
    boolean supersedes(SourceOrder incoming) {
        return incoming != null && incoming.compareTo(this) <= 0;
    }
}
