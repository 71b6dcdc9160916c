package io.statecast.consumer.internal;

import java.time.Duration;

/**
 * How often the poll loop checks the brokers and the topic id, and when it saves snapshots (null: never).
 * A record of its own, a level below both the poll loop and the between-polls checks that read it.
 */
record LoopSettings(
        ViewSource source,
        Duration brokerCheck,
        Duration topicCheck,
        Duration snapshotInterval,
        int historyCapacity,
        WarmStart warmStart) {}
