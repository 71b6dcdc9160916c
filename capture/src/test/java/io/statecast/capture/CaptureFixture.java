package io.statecast.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statecast.common.Namespace;
import io.statecast.common.StatecastHeaders;
import io.statecast.consumer.StateView;
import io.statecast.materializer.Materializer;
import io.statecast.materializer.MaterializerConfig;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/** Helpers of the capture tests: namespaces, a materializer, SQL, the table as text, the view as text. */
final class CaptureFixture {
    private static final AtomicInteger DIRS = new AtomicInteger();

    private CaptureFixture() {}

    static Namespace provision(KafkaFixture kafka, int partitions) {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(partitions));
        }
        return ns;
    }

    static Materializer materializer(KafkaFixture kafka, Namespace ns, Map<String, Object> extra) {
        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(MaterializerConfig.NAMESPACE, ns.name());
        c.put(MaterializerConfig.HTTP_PORT, 0);
        c.put(MaterializerConfig.CHECKSUM_INTERVAL_MS, 1000L);
        c.put(
                MaterializerConfig.STATE_DIR,
                Path.of(System.getProperty("statecast.test.dir", "target"), "streams-" + DIRS.incrementAndGet())
                        .toString());
        c.put("num.stream.threads", 1);
        c.putAll(extra);
        Materializer m = new Materializer(new MaterializerConfig(c)).start();
        Awaitility.await("materializer RUNNING")
                .atMost(Duration.ofSeconds(60))
                .until(() -> m.state() == KafkaStreams.State.RUNNING);
        return m;
    }

    static PostgresCapture.Builder capture(PostgresServer pg, KafkaFixture kafka, String table, Namespace ns) {
        return PostgresCapture.builder()
                .jdbcUrl(pg.jdbcUrl())
                .user(pg.user())
                .password(pg.password())
                .table(table)
                .namespace(ns.name())
                .offsetsTopic(ns.name() + ".capture-offsets")
                .kafka(kafka.clientConfig());
    }

    /** The name of a test's table in {@code ns}: {@code <prefix>_<namespace>}, a plain SQL identifier. */
    static String tableName(String prefix, Namespace ns) {
        return prefix + "_" + ns.name().replace('-', '_');
    }

    /** A materializer of {@code ns} and a capture of {@code public.<table>} into it, keyed by {@code key}. */
    static Pipeline pipeline(KafkaFixture kafka, PostgresServer pg, Namespace ns, String table, List<String> key) {
        return pipeline(
                kafka, ns, Map.of(), capture(pg, kafka, "public." + table, ns).key(key));
    }

    /** A materializer of {@code ns} (with {@code extra} configuration) and the capture {@code capture} builds. */
    static Pipeline pipeline(
            KafkaFixture kafka, Namespace ns, Map<String, Object> extra, PostgresCapture.Builder capture) {
        Materializer m = materializer(kafka, ns, extra);
        try {
            return new Pipeline(m, capture.build().start());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A running materializer and capture, closed together (the capture first). */
    record Pipeline(Materializer materializer, PostgresCapture capture) implements AutoCloseable {
        @Override
        public void close() {
            try (Materializer m = materializer) {
                capture.close();
            }
        }
    }

    static void sql(PostgresServer pg, String... statements) {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The rows of {@code table}, each as column → text, keyed by {@code key(row)}. */
    static Map<String, Map<String, String>> table(PostgresServer pg, String table, List<String> keyColumns) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = r.getMetaData();
            while (r.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = r.getObject(i);
                    row.put(md.getColumnName(i), v == null ? null : v.toString());
                }
                List<String> parts = new ArrayList<>();
                keyColumns.forEach(k -> parts.add(row.get(k).replace("%", "%25").replace("/", "%2F")));
                out.put(
                        keyColumns.size() == 1
                                ? row.get(keyColumns.get(0))
                                : keyColumns.isEmpty() ? Integer.toString(out.size()) : String.join("/", parts),
                        row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    /** The view's entries, each as field → text. */
    static Map<String, Map<String, String>> text(StateView<GenericRecord> view) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        view.snapshot().forEach((k, v) -> {
            Map<String, String> row = new TreeMap<>();
            v.getSchema()
                    .getFields()
                    .forEach(f -> row.put(
                            f.name(),
                            v.get(f.pos()) == null ? null : v.get(f.pos()).toString()));
            out.put(k, row);
        });
        return out;
    }

    /** A view of the namespace, read with the schema the namespace's newest state record was written with. */
    static StateView<GenericRecord> view(KafkaFixture kafka, Namespace ns) {
        StateView<GenericRecord> view = StateView.builder(newestSchema(kafka, ns))
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build();
        view.start();
        view.awaitReady(Duration.ofSeconds(60));
        return view;
    }

    static Schema newestSchema(KafkaFixture kafka, Namespace ns) {
        List<ConsumerRecord<byte[], byte[]>> state = kafka.readToEnd(ns.state());
        ConsumerRecord<byte[], byte[]> newest = null;
        for (ConsumerRecord<byte[], byte[]> r : state) {
            if (r.value() != null && (newest == null || r.timestamp() >= newest.timestamp())) {
                newest = r;
            }
        }
        ByteBuffer payload = Envelopes.stateRecord().decode(newest.value()).getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        try (SchemaTopic topic = SchemaTopic.open(kafka.clientConfig(), ns)) {
            return SchemaResolver.withTopic(topic).resolve(AvroCodec.fingerprint(bytes));
        }
    }

    /** Waits until the replication slot exists: every commit after that reaches capture (snapshot or stream). */
    static void awaitSlot(PostgresServer pg, String slot) {
        Awaitility.await("replication slot " + slot)
                .atMost(Duration.ofSeconds(90))
                .until(() -> table(pg, "pg_replication_slots WHERE slot_name = '" + slot + "'", List.of())
                                .size()
                        == 1);
    }

    /** Waits until the snapshot of {@code table}'s current rows reached the state topic: capture streams. */
    static void awaitSnapshot(KafkaFixture kafka, Namespace ns, PostgresServer pg, String table) {
        int rows = table(pg, table, List.of()).size();
        Awaitility.await("the snapshot of " + rows + " rows is in " + ns.state())
                .atMost(Duration.ofSeconds(90))
                .until(() -> versions(kafka, ns).size() >= rows);
    }

    /** Per key, the versions of its state records in log order (tombstones included). */
    static Map<String, List<Long>> versions(KafkaFixture kafka, Namespace ns) {
        Map<String, List<Long>> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readToEnd(ns.state())) {
            out.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(StatecastHeaders.readLong(r.headers(), StatecastHeaders.VERSION, -1));
        }
        return out;
    }

    /**
     * The state topic holds, per key, exactly the versions 1..n where n is the key's number of row changes
     * ({@code expected}): no gap, no duplicate, and no extra version (a replayed change applied again would
     * add one, even where the versions stay gapless).
     */
    static void assertOneVersionPerRowChange(KafkaFixture kafka, Namespace ns, Map<String, Integer> expected) {
        Map<String, List<Long>> versions = versions(kafka, ns);
        assertEquals(Map.of(), gapsOrDuplicates(versions), "keys with a gap or a duplicate version");
        Map<String, Integer> differing = new TreeMap<>();
        expected.forEach((k, n) -> {
            int found = versions.getOrDefault(k, List.of()).size();
            if (found != n) {
                differing.put(k, found);
            }
        });
        versions.keySet().stream()
                .filter(k -> !expected.containsKey(k))
                .forEach(k -> differing.put(k, versions.get(k).size()));
        assertEquals(
                Map.of(),
                differing,
                "keys whose number of versions (shown) differs from their row changes in PostgreSQL, of "
                        + expected.size() + " keys");
    }

    /**
     * The engine's offsets are in {@code topic}, a compacted Kafka topic (not a local file): Connect's offset key
     * {@code ["statecast-capture-<slot>",{"server":"statecast"}]} with the LSN reached.
     */
    static void assertOffsetsInACompactedTopic(KafkaFixture kafka, String topic, String slot) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = KafkaFixture.get(
                        kafka.admin().describeConfigs(List.of(resource)).all())
                .get(resource);
        assertEquals("compact", config.get("cleanup.policy").value(), topic);
        List<String> entries = kafka.readToEnd(topic).stream()
                .filter(r -> r.value() != null)
                .map(r -> new String(r.key(), StandardCharsets.UTF_8) + " "
                        + new String(r.value(), StandardCharsets.UTF_8))
                .toList();
        String key = "[\"statecast-capture-" + slot + "\",{\"server\":\"statecast\"}]";
        org.junit.jupiter.api.Assertions.assertTrue(
                !entries.isEmpty() && entries.stream().allMatch(e -> e.startsWith(key + " ") && e.contains("\"lsn\"")),
                "offsets of " + key + " in " + topic + ": " + entries);
    }

    /** The rejections of the namespace, decoded. */
    static List<Rejection> rejections(KafkaFixture kafka, Namespace ns) {
        return kafka.readToEnd(ns.rejections()).stream()
                .map(r -> Envelopes.rejection().decode(r.value()))
                .toList();
    }

    /** Keys whose versions are not exactly 1, 2, 3, … (a gap or a duplicate), with their versions. */
    static Map<String, List<Long>> gapsOrDuplicates(Map<String, List<Long>> versions) {
        Map<String, List<Long>> bad = new TreeMap<>();
        versions.forEach((k, vs) -> {
            for (int i = 0; i < vs.size(); i++) {
                if (vs.get(i) != i + 1) {
                    bad.put(k, vs);
                    return;
                }
            }
        });
        return bad;
    }
}
