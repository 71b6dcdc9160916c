package io.statecast.consumer.internal;

/**
 * The parts of a view that every thread sees: the table and its reads, what indexes, listeners and
 * read-your-writes waiters hear, the lifecycle and the counters. The poll thread writes them; the
 * public face reads them.
 */
record ViewParts<V>(
        String logId,
        ViewTable<V> table,
        Events<V> events,
        ViewLifecycle life,
        ViewCounters counters,
        Awaiters awaiters) {}
