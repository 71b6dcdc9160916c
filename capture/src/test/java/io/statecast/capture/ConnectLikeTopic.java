package io.statecast.capture;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A Debezium topic as a Kafka Connect cluster writes it: Debezium's PostgreSQL connector (pgoutput) in its
 * embedded engine with Connect's JSON converter, schemas on, and Connect's defaults (a tombstone after each
 * delete), producing every record of one table to {@code topic}. For the tests of {@code capture debezium-topic}
 * (this module's and the cli's). Closing stops the engine and drops its replication slot.
 */
public final class ConnectLikeTopic implements AutoCloseable {
    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final PostgresServer pg;
    private final String slot;

    private ConnectLikeTopic(DebeziumEngine<ChangeEvent<String, String>> engine, PostgresServer pg, String slot) {
        this.engine = engine;
        this.pg = pg;
        this.slot = slot;
    }

    /** Starts capturing {@code public.<table>} into {@code topic} (which must exist), snapshot first. */
    public static ConnectLikeTopic start(KafkaFixture kafka, PostgresServer pg, String table, String topic) {
        String slot = "connect_" + table;
        ConnectLikeTopic c = new ConnectLikeTopic(engine(kafka, pg, table, topic, slot), pg, slot);
        c.executor.execute(c.engine);
        return c;
    }

    private static DebeziumEngine<ChangeEvent<String, String>> engine(
            KafkaFixture kafka, PostgresServer pg, String table, String topic, String slot) {
        Properties p = new Properties();
        p.setProperty("name", "connect-like-" + table);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", pg.host());
        p.setProperty("database.port", Integer.toString(pg.port()));
        p.setProperty("database.dbname", pg.database());
        p.setProperty("database.user", pg.user());
        p.setProperty("database.password", pg.password());
        p.setProperty("topic.prefix", topic.substring(0, topic.indexOf('.')));
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", slot);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "public." + table);
        p.setProperty("converter.schemas.enable", "true");
        return DebeziumEngine.create(Json.class)
                .using(p)
                .notifying((records, committer) -> {
                    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
                    for (ChangeEvent<String, String> e : records) {
                        if (topic.equals(e.destination())) { // tombstones (null values) included, as Connect writes
                            out.add(new ProducerRecord<>(topic, bytes(e.key()), bytes(e.value())));
                        }
                    }
                    kafka.produce(topic, out);
                    for (ChangeEvent<String, String> e : records) {
                        committer.markProcessed(e);
                    }
                    committer.markBatchFinished();
                })
                .build();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException, SQLException {
        engine.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
                    + "'");
        }
    }
}
