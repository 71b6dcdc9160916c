package io.statecast.consumer.internal;

import io.statecast.consumer.ResetEvent;

/**
 * What a listener's queue holds for {@code onWhole} (the partitions of an earlier reset are whole again),
 * told apart from a reset. A record of its own, below both the view's events and the listener runners.
 */
record WholeAgain(ResetEvent reset) {}
