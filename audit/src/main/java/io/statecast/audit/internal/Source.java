package io.statecast.audit.internal;

/**
 * The log a replay reads: {@code history} when it is usable, else the compacted {@code state}.
 *
 * @param topic the topic to read
 * @param history whether it is the append-only history
 * @param caveat why a replay from it may be inexact, or null
 */
public record Source(String topic, boolean history, String caveat) {}
