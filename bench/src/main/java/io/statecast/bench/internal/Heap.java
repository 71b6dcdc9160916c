package io.statecast.bench.internal;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

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

    /**
     * The bytes of every live object, from the JVM's class histogram (the {@code GC.class_histogram} of
     * {@code jcmd}, which first runs a full collection). Unlike {@link #used()} it counts no free space in
     * TLABs or regions, so a difference of a few hundred KB per view is not lost in a few MB of noise.
     */
    public static long live() {
        try {
            String histogram = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {null},
                            new String[] {String[].class.getName()});
            String[] lines = histogram.strip().split("\n");
            String[] total = lines[lines.length - 1].trim().split("\\s+"); // "Total <instances> <bytes>"
            return Long.parseLong(total[2]);
        } catch (JMException | RuntimeException e) {
            throw new IllegalStateException("no class histogram: " + e.getMessage(), e);
        }
    }
}
