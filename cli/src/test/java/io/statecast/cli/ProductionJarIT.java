package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a user deploys, {@code target/statecast.jar} (built in the package phase, before this runs), carries
 * no Kafka broker, Scala, test framework, benchmark harness or benchmark peer, and still runs its commands.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProductionJarIT {
    private static final Path JAR = Path.of("target", "statecast.jar");
    // target/runtime-dependencies.txt: `mvn dependency:list` of the runtime classpath the jar is shaded from.
    private static final Path DEPENDENCIES = Path.of("target", "runtime-dependencies.txt");
    private static final Pattern ARTIFACT = Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):");

    /**
     * Package prefixes of the broker's Java parts, Scala, tests, benchmarks and the dev tools. kafka_2.13 (with
     * kafka.server) is every class under {@code kafka/}, checked apart: the only {@code kafka/} entries
     * kafka-clients and Kafka Streams bring are their version files.
     */
    private static final List<String> FORBIDDEN_ENTRIES = List.of(
            "kafka/server/",
            "scala/",
            "org/apache/kafka/common/test/",
            "org/apache/kafka/raft/",
            "org/apache/kafka/storage/",
            "org/apache/kafka/metadata/",
            "org/junit/",
            "org/opentest4j/",
            "org/testcontainers/",
            "org/openjdk/jmh/",
            "com/netflix/hollow/",
            "io/kcache/",
            "io/statecast/testkit/",
            "io/statecast/bench/",
            "io/statecast/devtools/");

    /**
     * Of Kafka's own artifacts only the clients, Kafka Streams (the materializer) and Kafka Connect's
     * {@code connect-*} (on which capture's embedded Debezium engine runs; no broker) belong in the jar.
     */
    private static final Set<String> KAFKA_ALLOWED = Set.of("kafka-clients", "kafka-streams");

    private static final Set<String> FORBIDDEN_GROUPS = Set.of(
            "org.scala-lang",
            "org.junit.jupiter",
            "org.junit.platform",
            "org.testcontainers",
            "org.openjdk.jmh",
            "com.netflix.hollow",
            "io.kcache");

    @Test
    void theJarHoldsNoBrokerScalaTestOrBenchmarkClasses() throws IOException {
        assertTrue(Files.exists(JAR), "the shaded jar is built in the package phase, before integration-test");
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            Set<String> offending = new TreeSet<>();
            zip.stream().map(ZipEntry::getName).forEach(name -> {
                FORBIDDEN_ENTRIES.stream().filter(name::startsWith).forEach(offending::add);
                if (name.startsWith("kafka/") && name.endsWith(".class")) {
                    offending.add("kafka/ (classes of kafka_2.13)");
                }
            });
            assertEquals(Set.of(), offending, "package prefixes found in " + JAR);
            for (String needed : List.of(
                    "io/statecast/cli/StatecastCli.class",
                    "io/statecast/materializer/Materializer.class",
                    "io/statecast/consumer/StateView.class",
                    "org/apache/kafka/streams/KafkaStreams.class",
                    "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                    "picocli/CommandLine.class")) {
                assertTrue(zip.getEntry(needed) != null, needed + " is missing from " + JAR);
            }
        }
    }

    @Test
    void theResolvedDependenciesHoldNoBrokerScalaTestOrBenchmarkArtifact() throws IOException {
        assertTrue(Files.exists(DEPENDENCIES), "dependency:list writes it in the package phase");
        Set<String> artifacts = Files.readAllLines(DEPENDENCIES).stream()
                .map(ARTIFACT::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1) + ":" + m.group(2))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(artifacts.contains("org.apache.kafka:kafka-streams"), "the list was read: " + artifacts);
        Set<String> offending = artifacts.stream()
                .filter(a -> forbidden(a.substring(0, a.indexOf(':')), a.substring(a.indexOf(':') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), offending, "artifacts on the runtime classpath of " + JAR);
    }

    @Test
    void theJarRunsTheUsersCommandsAndNotTheDevelopersOnes() throws Exception {
        Run help = java("--help");
        assertEquals(0, help.exit(), help.out());
        for (String command : List.of("topics", "produce", "capture", "materialize", "watch", "audit", "simulate")) {
            assertTrue(help.out().contains("  " + command + " "), command + " missing from: " + help.out());
        }
        Run demo = java("demo");
        assertEquals(2, demo.exit(), "a usage error: " + demo.out());
        assertTrue(demo.out().contains("Unmatched argument at index 0: 'demo'"), demo.out());
    }

    private static boolean forbidden(String group, String artifact) {
        if (group.equals("org.apache.kafka")) {
            return !KAFKA_ALLOWED.contains(artifact) && !artifact.startsWith("connect-");
        }
        return FORBIDDEN_GROUPS.contains(group)
                || artifact.equals("statecast-testkit")
                || artifact.equals("statecast-bench")
                || artifact.equals("statecast-devtools");
    }

    private record Run(int exit, String out) {}

    private static Run java(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -jar " + JAR + " " + String.join(" ", args));
        return new Run(p.exitValue(), out);
    }
}
