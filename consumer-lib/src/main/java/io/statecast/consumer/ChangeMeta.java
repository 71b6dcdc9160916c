package io.statecast.consumer;

/**
 * Where a change came from: the state partition and offset, the key's version and the offset of the
 * change in {@code <ns>.changes} ({@code -1} for both on a plain topic), and whether it was delivered
 * during the initial load (bootstrap) rather than live.
 */
public record ChangeMeta(int partition, long offset, long version, long srcOffset, boolean initial) {}
