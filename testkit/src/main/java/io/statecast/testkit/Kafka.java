package io.statecast.testkit;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses a real Kafka: {@code STATECAST_BOOTSTRAP_SERVERS} set → that external cluster; else a Docker
 * engine available → Testcontainers' Kafka; else an embedded KRaft cluster in this JVM. Set
 * {@code STATECAST_KAFKA=embedded|testcontainers|external} to force one.
 */
public final class Kafka {
    /** Environment variable naming an external cluster. */
    public static final String BOOTSTRAP_ENV = "STATECAST_BOOTSTRAP_SERVERS";
    /** Environment variable (or system property {@code statecast.kafka}) forcing a kind of cluster. */
    public static final String KIND_ENV = "STATECAST_KAFKA";

    private static final Logger log = LoggerFactory.getLogger(Kafka.class);

    private Kafka() {}

    /** The kinds of cluster, in the order they are preferred. */
    public enum Kind {
        EXTERNAL,
        TESTCONTAINERS,
        EMBEDDED
    }

    /** Which kind {@link #start()} would choose here. */
    public static Kind choose() {
        String forced = System.getProperty("statecast.kafka", System.getenv(KIND_ENV));
        if (forced != null && !forced.isBlank()) {
            return Kind.valueOf(forced.trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (System.getenv(BOOTSTRAP_ENV) != null
                && !System.getenv(BOOTSTRAP_ENV).isBlank()) {
            return Kind.EXTERNAL;
        }
        return dockerAvailable() ? Kind.TESTCONTAINERS : Kind.EMBEDDED;
    }

    /** Starts (or connects to) the cluster {@link #choose()} picks. */
    public static KafkaCluster start() {
        Kind kind = choose();
        log.info("Kafka for tests: {} cluster", kind.name().toLowerCase(java.util.Locale.ROOT));
        switch (kind) {
            case EXTERNAL:
                return new ExternalKafkaCluster(System.getenv(BOOTSTRAP_ENV), Map.of());
            case TESTCONTAINERS:
                return TestcontainersKafkaCluster.start();
            default:
                return EmbeddedKafkaCluster.builder().build().start();
        }
    }

    /** True when a Docker engine answers (Testcontainers can start containers). */
    static boolean dockerAvailable() {
        // Probing Testcontainers without any Docker endpoint prints a page of errors: look first.
        boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!socket && System.getenv("DOCKER_HOST") == null) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) { // Testcontainers throws various errors without an engine
            return false;
        }
    }
}
