package io.statecast.devtools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.JsonAvro;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A {@code Pod} as a row of the demo's pods table: one column per field, named as the field (capture maps
 * columns onto the {@code Pod} schema by name), the map and the array as {@code jsonb}, the instants as
 * {@code timestamptz}. Keyed by {@code (namespace, name)}, which capture turns into the key {@code
 * namespace/name} the simulator uses.
 */
final class PodRows {
    /** The columns, in the order {@link #bind} fills them. */
    static final String COLUMNS = "namespace, name, uid, node, phase, labels, containers, \"podIp\","
            + " \"restartCount\", \"createdAt\", \"startedAt\"";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = Pod.getClassSchema();
    private static final AvroCodec<Pod> SPECIFIC = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    private static final AvroCodec<GenericRecord> GENERIC = AvroCodec.generic(SCHEMA, SchemaResolver.builtIn());

    private PodRows() {}

    /** {@code CREATE TABLE} of the pods table {@code table}. */
    static String create(String table) {
        return "CREATE TABLE " + table + " (namespace text NOT NULL, name text NOT NULL, uid text NOT NULL,"
                + " node text, phase text NOT NULL, labels jsonb NOT NULL, containers jsonb NOT NULL,"
                + " \"podIp\" text, \"restartCount\" integer NOT NULL, \"createdAt\" timestamptz NOT NULL,"
                + " \"startedAt\" timestamptz, PRIMARY KEY (namespace, name))";
    }

    /** The upsert of one pod, its parameters filled by {@link #bind}. */
    static String upsert(String table) {
        return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)"
                + " ON CONFLICT (namespace, name) DO UPDATE SET uid = EXCLUDED.uid, node = EXCLUDED.node,"
                + " phase = EXCLUDED.phase, labels = EXCLUDED.labels, containers = EXCLUDED.containers,"
                + " \"podIp\" = EXCLUDED.\"podIp\", \"restartCount\" = EXCLUDED.\"restartCount\","
                + " \"createdAt\" = EXCLUDED.\"createdAt\", \"startedAt\" = EXCLUDED.\"startedAt\"";
    }

    /** The delete of one pod by its key {@code namespace/name}. */
    static String delete(String table) {
        return "DELETE FROM " + table + " WHERE namespace = ? AND name = ?";
    }

    /** Fills the delete's parameters from the key {@code namespace/name}. */
    static void bindKey(PreparedStatement s, String key) throws SQLException {
        int slash = key.indexOf('/');
        s.setString(1, key.substring(0, slash));
        s.setString(2, key.substring(slash + 1));
    }

    /** Fills the upsert's parameters from {@code p}. */
    static void bind(PreparedStatement s, Pod p) throws SQLException {
        s.setString(1, p.getNamespace());
        s.setString(2, p.getName());
        s.setString(3, p.getUid());
        s.setString(4, p.getNode());
        s.setString(5, p.getPhase().name());
        s.setString(
                6,
                JsonAvro.toJsonString(p.getLabels(), SCHEMA.getField("labels").schema()));
        s.setString(
                7,
                JsonAvro.toJsonString(
                        p.getContainers(), SCHEMA.getField("containers").schema()));
        s.setString(8, p.getPodIp());
        s.setInt(9, p.getRestartCount());
        s.setTimestamp(10, millis(p.getCreatedAt()));
        s.setTimestamp(11, p.getStartedAt() == null ? null : millis(p.getStartedAt()));
    }

    /** The pod of the current row of {@code r} (selected with {@link #COLUMNS}), decoded as a view decodes it. */
    static Pod read(ResultSet r) throws SQLException {
        ObjectNode o = JSON.createObjectNode();
        for (String text : List.of("namespace", "name", "uid", "node", "phase", "podIp")) {
            o.put(text, r.getString(text));
        }
        try {
            o.set("labels", JSON.readTree(r.getString("labels")));
            o.set("containers", JSON.readTree(r.getString("containers")));
        } catch (IOException e) {
            throw new SQLException("a pod row's jsonb is not JSON: " + e.getMessage(), e);
        }
        o.put("restartCount", r.getInt("restartCount"));
        o.put("createdAt", r.getTimestamp("createdAt").toInstant().toEpochMilli());
        Timestamp started = r.getTimestamp("startedAt");
        o.put("startedAt", started == null ? null : started.toInstant().toEpochMilli());
        return normalized((GenericRecord) JsonAvro.fromJson(o, SCHEMA));
    }

    /** {@code p} as a view holds it once it went through Avro (so that {@code equals} compares like with like). */
    static Pod normalized(Pod p) {
        return SPECIFIC.decode(SPECIFIC.encode(p));
    }

    private static Pod normalized(GenericRecord g) {
        return SPECIFIC.decode(GENERIC.encode(g));
    }

    // The Pod schema keeps milliseconds: the table holds the same instant, not a finer one.
    private static Timestamp millis(Instant t) {
        return Timestamp.from(t.truncatedTo(ChronoUnit.MILLIS));
    }
}
