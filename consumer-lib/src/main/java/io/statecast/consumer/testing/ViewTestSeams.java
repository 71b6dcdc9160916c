package io.statecast.consumer.testing;

import io.statecast.consumer.StateView;
import io.statecast.consumer.internal.ViewAccess;

/**
 * Hooks for tests, the chaos suite and the demo's corrupted agent, kept out of {@link StateView}'s API:
 * never for production code.
 */
public final class ViewTestSeams {
    private ViewTestSeams() {}

    /**
     * Makes {@code view} differ from the table as a bug in applying records would — {@code DROP_ENTRY},
     * {@code ALTER_VALUE}, {@code ADD_FOREIGN_ENTRY} or {@code DROP_FILTERED_ENTRY} of {@code key} —
     * with entries and digest agreeing with each other, not with the table, to prove that verification
     * detects and heals it.
     */
    public static void injectDivergence(StateView<?> view, String kind, String key) {
        ViewAccess.engineOf(view).divergeForTest(kind, key);
    }

    /**
     * Runs {@code hook} on the thread that writes each of {@code view}'s snapshots, just before it writes
     * (null: none): a hook that blocks holds the save, to show what the view does meanwhile.
     */
    public static void beforeSnapshotWrite(StateView<?> view, Runnable hook) {
        ViewAccess.engineOf(view).beforeSnapshotWriteForTest(hook);
    }

    /** How many read-your-writes waits of {@code view} are still held (completed ones are forgotten). */
    public static int pendingAwaits(StateView<?> view) {
        return ViewAccess.engineOf(view).pendingAwaitsForTest();
    }
}
