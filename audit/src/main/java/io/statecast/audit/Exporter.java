package io.statecast.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.internal.PayloadJson;
import io.statecast.common.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/** Writes a replayed table as NDJSON or CSV, payloads decoded to JSON through the namespace's schemas topic. */
public final class Exporter implements AutoCloseable {
    /** Output formats. */
    public enum Format {
        NDJSON,
        CSV
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PayloadJson payloads;

    /** An exporter resolving payload schemas through {@code <ns>.schemas} on the cluster of {@code kafka}. */
    public Exporter(Map<String, ?> kafka, Namespace ns) {
        this.payloads = new PayloadJson(kafka, ns);
    }

    /**
     * Writes every entry of {@code table}, one line each (CSV: after a header line); returns how many.
     *
     * @throws io.statecast.common.SchemaNotFoundException when a payload's schema is in no known place
     */
    public int export(Table table, Format format, Writer out) {
        try {
            if (format == Format.CSV) {
                out.write("key,version,partition,srcOffset,time,producerId,value\n");
            }
            for (Entry e : table.entries().values()) {
                ObjectNode row = row(e);
                out.write(format == Format.NDJSON ? JSON.writeValueAsString(row) : csv(row));
                out.write('\n');
            }
            out.flush();
            return table.entries().size();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One entry as JSON: key, version, partition, srcOffset, time, producerId, value (decoded payload). */
    public ObjectNode row(Entry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", e.key());
        o.put("version", e.version());
        o.put("partition", e.partition());
        o.put("srcOffset", e.srcOffset());
        o.put("time", e.time().toString());
        o.put("producerId", e.producerId());
        JsonNode value = payloads.json(e.payload());
        o.set("value", value == null ? o.nullNode() : value);
        return o;
    }

    private static String csv(ObjectNode row) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"key", "version", "partition", "srcOffset", "time", "producerId", "value"}) {
            if (b.length() > 0) {
                b.append(',');
            }
            String v = row.get(f).isTextual() ? row.get(f).asText() : JSON.writeValueAsString(row.get(f));
            b.append('"').append(v.replace("\"", "\"\"")).append('"');
        }
        return b.toString();
    }

    @Override
    public void close() {
        payloads.close();
    }
}
