package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.statecast.audit.Auditor;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.StatecastProducer;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.Conditions;
import io.statecast.testkit.EmbeddedKafkaCluster;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.ScramUser;
import io.statecast.testkit.SecuritySetup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * SASL_PLAINTEXT with SCRAM-SHA-512 and the standard authorizer: each component works with its own
 * principal and nothing more.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SecurityIT {
    static final ScramUser ADMIN = new ScramUser("admin", "admin-Secr3t-1");
    static final ScramUser PRODUCER = new ScramUser("producer", "producer-Secr3t-2");
    static final ScramUser MATERIALIZER = new ScramUser("materializer", "materializer-Secr3t-3");
    static final ScramUser CONSUMER = new ScramUser("consumer", "consumer-Secr3t-4");
    static final ScramUser AUDITOR = new ScramUser("auditor", "auditor-Secr3t-5");
    // the old waits allowed 90 s: a shared 2-core machine is slow
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void everyComponentWorksWithItsOwnPrincipalAndNothingMore(@TempDir Path dir) throws Exception {
        ListAppender<ILoggingEvent> logs = captureLogs();
        SecuritySetup security = SecuritySetup.scram(ADMIN)
                .user(PRODUCER)
                .user(MATERIALIZER)
                .user(CONSUMER)
                .user(AUDITOR);
        try (KafkaFixture kafka = KafkaFixture.of(
                EmbeddedKafkaCluster.builder().security(security).build().start())) {
            Namespace ns = Namespace.of("secure");
            try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) { // as the admin
                p.create(ns, TopicOptions.defaults().withPartitions(2));
            }
            grant(kafka, ns);

            Map<String, Object> mc = config(kafka, MATERIALIZER);
            mc.put(MaterializerConfig.NAMESPACE, ns.name());
            mc.put(MaterializerConfig.HTTP_PORT, 0);
            mc.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 500L);
            mc.put(MaterializerConfig.STATE_DIR, dir.resolve("streams").toString());
            try (Materializer m = new Materializer(new MaterializerConfig(mc)).start();
                    StatecastProducer<Node> producer = StatecastProducer.builder(Node.class)
                            .namespace(ns.name())
                            .kafka(config(kafka, PRODUCER))
                            .build();
                    StateView<Node> view = StateView.builder(Node.class)
                            .namespace(ns.name())
                            .kafka(config(kafka, CONSUMER))
                            .build()) {
                Conditions.waitForEquals(
                        "the state of the materializer (as its principal)", WAIT, KafkaStreams.State.RUNNING, m::state);
                Receipt r = producer.upsert("node-1", node()).join();
                view.start().awaitReady(Duration.ofSeconds(60));
                assertTrue(view.await(r, Duration.ofSeconds(60)), "the consumer's view sees the producer's write");
                assertEquals(4000, view.get("node-1").getCpuMillis());
                Conditions.waitFor(
                        "the view verifies checksums with read-only rights",
                        WAIT,
                        () -> view.stats().checks().verified() > 0);
                assertFalse(m.scrapeMetrics().contains(MATERIALIZER.password()), "no credential in the metrics");
            }
            try (Auditor auditor = new Auditor(config(kafka, AUDITOR), ns)) {
                assertTrue(auditor.verify().ok(), "the auditor reads everything");
                assertEquals(
                        1,
                        auditor.asOf(io.statecast.audit.PointInTime.latest())
                                .entries()
                                .size());
            }

            assertCannotWrite(kafka, CONSUMER, ns.state());
            assertCannotWrite(kafka, CONSUMER, ns.changes());
            assertCannotWrite(kafka, PRODUCER, ns.state());
            assertCannotWrite(kafka, PRODUCER, ns.checksums());
            assertCannotWrite(kafka, AUDITOR, ns.changes());

            ExecutionException wrong = assertThrows(ExecutionException.class, () -> {
                try (var admin = org.apache.kafka.clients.admin.Admin.create(
                        config(kafka, new ScramUser("producer", "wrong")))) {
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
                }
            });
            assertTrue(
                    wrong.getCause() instanceof SaslAuthenticationException
                            && wrong.getCause().getMessage().contains("invalid credentials"),
                    String.valueOf(wrong.getCause()));
        } finally {
            detach(logs);
        }
        for (ILoggingEvent e : logs.list) {
            String text = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                            ? ""
                            : e.getThrowableProxy().getMessage());
            for (ScramUser u : List.of(ADMIN, PRODUCER, MATERIALIZER, CONSUMER, AUDITOR)) {
                assertFalse(text.contains(u.password()), "a password in the log: " + text);
            }
        }
        assertTrue(logs.list.size() > 10, "the logs were captured: " + logs.list.size());
    }

    private static void assertCannotWrite(KafkaFixture kafka, ScramUser user, String topic) {
        Map<String, Object> c = config(kafka, user);
        c.put("max.block.ms", 10_000);
        // A plain, non-idempotent producer: an idempotent one without any write right fails earlier,
        // in InitProducerId, which would hide what this asserts (the topic write is refused).
        c.put("enable.idempotence", false);
        c.put("acks", "1");
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {2}))
                            .get(30, TimeUnit.SECONDS));
            assertTrue(
                    e.getCause() instanceof TopicAuthorizationException
                            || e.getCause() instanceof org.apache.kafka.common.errors.ClusterAuthorizationException,
                    user.name() + " writing " + topic + ": " + e.getCause());
        }
    }

    private static void grant(KafkaFixture kafka, Namespace ns) throws Exception {
        List<AclBinding> acls = new ArrayList<>();
        allow(
                acls,
                PRODUCER,
                ResourceType.TOPIC,
                ns.changes(),
                PatternType.LITERAL,
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow(
                acls,
                PRODUCER,
                ResourceType.TOPIC,
                ns.schemas(),
                PatternType.LITERAL,
                AclOperation.WRITE,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        for (String t : List.of(ns.state(), ns.checksums(), ns.schemas(), ns.slices())) {
            allow(
                    acls,
                    CONSUMER,
                    ResourceType.TOPIC,
                    t,
                    PatternType.LITERAL,
                    AclOperation.READ,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
        }
        allow(
                acls,
                AUDITOR,
                ResourceType.TOPIC,
                ns.name() + ".",
                PatternType.PREFIXED,
                AclOperation.READ,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        String app = "statecast-materializer-" + ns.name();
        allow(
                acls,
                MATERIALIZER,
                ResourceType.TOPIC,
                ns.changes(),
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS); // its retention window is checked at start
        allow(
                acls,
                MATERIALIZER,
                ResourceType.TOPIC,
                ns.schemas(),
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        // WRITE; DESCRIBE_CONFIGS for the size limits of what it writes; READ for a rebuild from the state log
        for (String t : List.of(ns.state(), ns.checksums(), ns.rejections(), ns.history())) {
            allow(
                    acls,
                    MATERIALIZER,
                    ResourceType.TOPIC,
                    t,
                    PatternType.LITERAL,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.READ);
        }
        // Slices: the definitions, and every <ns>.slice.<name> with its checksums (one prefix)
        allow(
                acls,
                MATERIALIZER,
                ResourceType.TOPIC,
                ns.slices(),
                PatternType.LITERAL,
                AclOperation.READ,
                AclOperation.DESCRIBE);
        allow(
                acls,
                MATERIALIZER,
                ResourceType.TOPIC,
                ns.name() + ".slice.",
                PatternType.PREFIXED,
                AclOperation.WRITE,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        allow(
                acls,
                CONSUMER,
                ResourceType.TOPIC,
                ns.name() + ".slice.",
                PatternType.PREFIXED,
                AclOperation.READ,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        allow(acls, MATERIALIZER, ResourceType.TOPIC, app, PatternType.PREFIXED, AclOperation.ALL);
        allow(acls, MATERIALIZER, ResourceType.GROUP, app, PatternType.PREFIXED, AclOperation.ALL);
        allow(acls, MATERIALIZER, ResourceType.TRANSACTIONAL_ID, app, PatternType.PREFIXED, AclOperation.ALL);
        KafkaFixture.get(kafka.admin().createAcls(acls).all());
        // ACLs reach the broker's authorizer through the metadata log: wait until it answers with all of them.
        Conditions.waitFor(
                "the broker's authorizer holds the " + acls.size() + " ACLs created",
                Duration.ofSeconds(30),
                () -> KafkaFixture.get(
                        kafka.admin().describeAcls(AclBindingFilter.ANY).values()),
                bound -> bound.containsAll(acls));
    }

    private static void allow(
            List<AclBinding> acls,
            ScramUser user,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation... ops) {
        for (AclOperation op : ops) {
            acls.add(new AclBinding(
                    new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user.name(), "*", op, AclPermissionType.ALLOW)));
        }
    }

    private static Map<String, Object> config(KafkaFixture kafka, ScramUser user) {
        Map<String, Object> c = new HashMap<>(user.clientConfig());
        c.put("bootstrap.servers", kafka.bootstrapServers());
        return c;
    }

    static Node node() {
        return Node.newBuilder()
                .setName("node-1")
                .setZone("z")
                .setCpuMillis(4000)
                .setMemoryBytes(1L << 34)
                .setJoinedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    // Every log event, Kafka's INFO config dumps included, goes to a list (Kafka's not to the console).
    private static ListAppender<ILoggingEvent> captureLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        kafka.setLevel(Level.INFO);
        kafka.setAdditive(false);
        kafka.addAppender(appender);
        return appender;
    }

    private static void detach(ListAppender<ILoggingEvent> appender) {
        Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        kafka.detachAppender(appender);
        kafka.setAdditive(true);
        kafka.setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    }
}
