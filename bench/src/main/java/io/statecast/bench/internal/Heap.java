package io.statecast.bench.internal;

import java.lang.management.ManagementFactory;

/**
 * Retained heap, measured as the used heap after full collections with the structure alive minus the
 * same before it was built. The error is a few MB (JIT, TLABs), i.e. a few bytes per entry at 1M.
 */
public final class Heap {
    private Heap() {}

    public static long used() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
