package io.statecast.consumer.internal;

import io.statecast.common.ViewFailedException;
import io.statecast.consumer.PartitionProgress;
import io.statecast.consumer.ViewStatus;
import io.statecast.consumer.ViewStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a view is in its life, readable from any thread: its {@link State}, the ready future (which fails
 * with the cause), since when it is stale, its alarms, how it started and how long that took.
 */
final class ViewLifecycle {
    /** Alarms kept for {@code status()}: a repeating fault must not grow the view without bound. */
    static final int MAX_ALARMS = 100;

    private volatile State state = State.CREATED;
    private final CompletableFuture<ViewStatus> ready = new CompletableFuture<>();
    private volatile Throwable cause;
    private volatile ViewFailedException failure;
    private volatile Instant staleSince;
    /** At most {@link #MAX_ALARMS}, the newest; how many older ones were dropped is said first. */
    private final ArrayDeque<String> alarms = new ArrayDeque<>();

    private long droppedAlarms;
    private volatile String startMode = "full bootstrap";
    private volatile Duration bootstrapDuration;
    private volatile Duration splay = Duration.ZERO;

    /** CREATED → BOOTSTRAPPING; false when already started. */
    boolean start() {
        if (state != State.CREATED) {
            return false;
        }
        state = State.BOOTSTRAPPING;
        return true;
    }

    State state() {
        return state;
    }

    boolean bootstrapping() {
        return state == State.BOOTSTRAPPING;
    }

    ViewStatus status(List<PartitionProgress> progress) {
        return new ViewStatus(state, progress, staleSince, cause, alarms());
    }

    CompletableFuture<ViewStatus> ready() {
        return ready;
    }

    /** BOOTSTRAPPING → READY; {@code status} is built by the caller after the state changed. */
    void bootstrapped(Duration took) {
        bootstrapDuration = took;
        state = State.READY;
    }

    void completeReady(ViewStatus status) {
        ready.complete(status);
    }

    /** FAILED with a cause; the ready future fails with it. */
    void failed(Throwable t, ViewFailedException e) {
        cause = t;
        failure = e;
        state = State.FAILED;
        ready.completeExceptionally(e);
    }

    boolean failed() {
        return cause != null;
    }

    /** What reads of a failed view throw (null unless {@link #failed()}). */
    ViewFailedException failure() {
        return failure;
    }

    /** The brokers did not answer: stale since {@code now}; false when it already was. */
    boolean lostBrokers(Instant now) {
        if (staleSince != null) {
            return false;
        }
        staleSince = now;
        if (state == State.READY) {
            state = State.STALE;
        }
        return true;
    }

    /** The brokers answered: no longer stale; returns since when it was, or null when it was not. */
    Instant reachedBrokers() {
        Instant since = staleSince;
        if (since != null) {
            staleSince = null;
            if (state == State.STALE) {
                state = State.READY;
            }
        }
        return since;
    }

    /** How long the view has been stale at {@code now} (zero when fresh). */
    Duration staleness(Instant now) {
        Instant since = staleSince;
        return since == null ? Duration.ZERO : Duration.between(since, now);
    }

    /** Raises an alarm; past {@link #MAX_ALARMS} the oldest is dropped (and counted). */
    synchronized void alarm(String alarm) {
        alarms.addLast(alarm);
        if (alarms.size() > MAX_ALARMS) {
            alarms.removeFirst();
            droppedAlarms++;
        }
    }

    /** The alarms kept, oldest first, after a line saying how many older ones were dropped (if any). */
    synchronized List<String> alarms() {
        List<String> out = new ArrayList<>(alarms.size() + 1);
        if (droppedAlarms > 0) {
            out.add(droppedAlarms + " older alarm(s) dropped; the newest " + MAX_ALARMS + " follow");
        }
        out.addAll(alarms);
        return List.copyOf(out);
    }

    void closed() {
        state = State.CLOSED;
    }

    void startMode(String mode) {
        startMode = mode;
    }

    String startMode() {
        return startMode;
    }

    Duration bootstrapDuration() {
        return bootstrapDuration;
    }

    void splay(Duration drawn) {
        splay = drawn;
    }

    Duration splay() {
        return splay;
    }
}
