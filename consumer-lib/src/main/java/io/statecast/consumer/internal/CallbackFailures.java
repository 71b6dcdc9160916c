package io.statecast.consumer.internal;

/**
 * Where the engine reports that user code (a filter, a transform, an index extractor) threw on one
 * record. The record is then kept out of what that code decides (not stored, or not indexed) and the
 * view goes on: the same record reaches every view of a fleet, and again after each restart, so failing
 * the view for it would stop them all for good.
 */
interface CallbackFailures {
    /** For rules tested alone: a throwing callback fails the test. */
    CallbackFailures RETHROW = (callback, where, e) -> {
        throw e;
    };

    /**
     * @param callback which user code threw ({@code filter}, {@code transform}, {@code index 'byNode'})
     * @param where the record it threw on (key, partition, offset)
     */
    void failed(String callback, String where, RuntimeException e);
}
