package io.statecast.capture.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of Debezium's embedded engine and PostgreSQL connector that capture runs: pgoutput, a
 * filtered publication for the one table, transaction metadata (for commit LSNs), offsets in a compacted Kafka
 * topic, and the value conversions of docs/capture.md.
 */
public final class EngineProperties {
    private EngineProperties() {}

    /** What the engine needs to know. */
    public record Source(
            JdbcTarget target, String user, String password, TableName table, String slot, String publication) {}

    /**
     * The engine's properties; {@code kafka} (client settings) also reaches the offset store's clients, and the
     * offsets are flushed to {@code offsetsTopic} every {@code flushInterval}.
     */
    public static Properties of(
            Source s, Map<String, ?> kafka, String name, String offsetsTopic, Duration flushInterval) {
        Properties p = new Properties();
        kafka.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        p.setProperty("name", name);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        offsets(p, offsetsTopic, flushInterval);
        p.setProperty("database.hostname", s.target().host());
        p.setProperty("database.port", Integer.toString(s.target().port()));
        p.setProperty("database.dbname", s.target().database());
        p.setProperty("database.user", s.user());
        p.setProperty("database.password", s.password());
        p.setProperty("topic.prefix", "statecast");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", s.slot());
        p.setProperty("publication.name", s.publication());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty(
                "table.include.list", s.table().schema() + "\\." + s.table().table());
        conversions(p);
        return p;
    }

    private static void offsets(Properties p, String topic, Duration flushInterval) {
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("offset.storage.topic", topic);
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", "-1"); // the broker's default
        // Offsets (and the slot's confirmed LSN) follow the writes within the interval (1 s by default): a restart
        // replays what the interval had not flushed yet.
        p.setProperty("offset.flush.interval.ms", Long.toString(flushInterval.toMillis()));
        p.setProperty("offset.flush.timeout.ms", "30000");
    }

    // An update that leaves a TOASTed value unchanged does not carry it (without REPLICA IDENTITY FULL): Debezium's
    // post-processor selects the column from the table again instead of passing its placeholder on.
    private static void reselect(Properties p) {
        // Options under post.processors.<name>. (the bare <name>. prefix is deprecated and warns at every start).
        p.setProperty("post.processors", "reselector");
        String reselector = "post.processors.reselector.";
        p.setProperty(reselector + "type", "io.debezium.processors.reselect.ReselectColumnsPostProcessor");
        p.setProperty(reselector + "reselect.unavailable.values", "true");
        p.setProperty(reselector + "reselect.null.values", "false");
    }

    private static void conversions(Properties p) {
        p.setProperty("provide.transaction.metadata", "true");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("skipped.operations", "none");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("hstore.handling.mode", "json");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("field.name.adjustment.mode", "avro");
        p.setProperty("schema.name.adjustment.mode", "avro");
        p.setProperty("snapshot.mode", "initial");
        // Debezium leaves a column of a type it does not know (a composite type) out of every row; keep its text.
        p.setProperty("include.unknown.datatypes", "true");
        reselect(p);
        // A lost connection (PostgreSQL restarting) is retried for ever, every 2 s, instead of stopping capture.
        p.setProperty("errors.max.retries", "-1");
        p.setProperty("retriable.restart.connector.wait.ms", "2000");
    }
}
