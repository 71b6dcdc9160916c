package io.statecast.testkit.internal;

import java.io.IOException;

/**
 * The main class of a Kafka node in its own JVM: Kafka's own {@code kafka.Kafka} on a generated
 * {@code server.properties}, plus a watchdog that halts the JVM when its standard input closes, i.e.
 * when the JVM that started it is gone (even SIGKILLed), so that no broker outlives its test.
 */
public final class KafkaProcessMain {
    private KafkaProcessMain() {}

    /** {@code args[0]}: the server.properties file. */
    public static void main(String[] args) {
        Thread watchdog = new Thread(KafkaProcessMain::haltWhenParentGone, "statecast-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }

    private static void haltWhenParentGone() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; anything it might is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of input: the parent is gone
        }
        Runtime.getRuntime().halt(3);
    }
}
