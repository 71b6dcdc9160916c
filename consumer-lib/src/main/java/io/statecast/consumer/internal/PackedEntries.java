package io.statecast.consumer.internal;

import java.util.function.Consumer;

/** Entries packed as {@code int32 keyLength ‖ key ‖ value}, read by a snapshot's writer: a live table or a frozen one. */
interface PackedEntries {
    int size();

    /** Every entry, its array read only. */
    void forEachPacked(Consumer<byte[]> action);
}
