package io.statecast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.common.Namespace;
import io.statecast.common.Receipt;
import io.statecast.common.StatecastException;
import io.statecast.producer.Change;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.JsonAvro;
import io.statecast.schemas.Op;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast produce}: NDJSON changes to {@code <ns>.changes}. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Write changes from NDJSON lines to <ns>.changes:",
            "  {\"op\":\"UPSERT\",\"key\":\"k\",\"value\":{...},\"expectedVersion\":3}  or  {\"op\":\"DELETE\",\"key\":\"k\"}",
            "By default every line is validated first and nothing is sent if any is bad."
        })
public final class ProduceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--namespace", required = true, description = "Namespace (topic prefix).")
    String namespace;

    @Option(names = "--file", defaultValue = "-", description = "NDJSON input file, or - for standard input (default).")
    String file;

    @Option(
            names = "--value-schema",
            description = "Avro schema (.avsc) of the values (default: the latest value schema registered in"
                    + " <ns>.schemas).")
    Path valueSchema;

    @Option(names = "--value-type", description = "The demo's pod or node records instead of --value-schema.")
    String valueType;

    @Option(
            names = "--continue-on-error",
            description = "Send the good lines; write the bad ones with their reasons to --errors-file.")
    boolean continueOnError;

    private int rejectedCount;

    @Option(
            names = "--errors-file",
            defaultValue = "produce-errors.ndjson",
            description = "Where --continue-on-error writes bad lines (default: ${DEFAULT-VALUE}).")
    Path errorsFile;

    /** A line that parsed into a change, or why it did not. */
    record Line(int number, String text, Change<GenericRecord> change, String error) {}

    @Override
    public Integer call() throws IOException {
        ValueSchemaOptions.explicit(valueSchema, valueType); // flag errors first, before any Kafka call
        kafka.requireTopics(Namespace.of(namespace).changes());
        Schema schema = schema();
        List<Line> lines = read(schema);
        List<Line> bad = lines.stream().filter(l -> l.error() != null).toList();
        PrintWriter err = spec.commandLine().getErr();
        if (!bad.isEmpty() && !continueOnError) {
            bad.forEach(l -> err.println("line " + l.number() + ": " + l.error()));
            err.println(bad.size() + " bad line(s) of " + lines.size()
                    + "; nothing was sent (use --continue-on-error to send the good ones)");
            err.flush();
            return 1;
        }
        if (!bad.isEmpty()) {
            writeErrors(bad);
        }
        int failed = send(schema, lines.stream().filter(l -> l.error() == null).toList());
        err.flush();
        return bad.isEmpty() && failed == 0 ? 0 : 1;
    }

    private int send(Schema schema, List<Line> good) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<Integer, Long> lastOffset = new TreeMap<>();
        int failed = 0;
        try (StatecastProducer<GenericRecord> producer = StatecastProducer.builder(schema)
                .namespace(namespace)
                .kafka(kafka.kafka())
                .build()) {
            List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
            for (int i = 0; i < good.size(); i++) {
                receipts.add(producer.send(good.get(i).change()));
                progress(err, i + 1, good.size());
            }
            producer.flush();
            for (int i = 0; i < receipts.size(); i++) {
                try {
                    Receipt r = receipts.get(i).join();
                    lastOffset.merge(r.partition(), r.offset(), Math::max);
                } catch (CompletionException e) {
                    failed++;
                    err.println("line " + good.get(i).number() + ": send failed: "
                            + e.getCause().getMessage());
                }
            }
        }
        out.println("sent " + (good.size() - failed) + ", rejected " + rejectedCount + ", failed " + failed);
        lastOffset.forEach((p, o) -> out.println("  " + namespace + ".changes partition " + p + ": last offset " + o));
        out.flush();
        return failed;
    }

    private void progress(PrintWriter err, int done, int total) {
        if (System.console() != null && total >= 10_000 && (done % 10_000 == 0 || done == total)) {
            err.print("\rsending " + done + "/" + total);
            if (done == total) {
                err.println();
            }
            err.flush();
        }
    }

    private List<Line> read(Schema schema) throws IOException {
        List<Line> out = new ArrayList<>();
        try (BufferedReader in = file.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String text;
            int n = 0;
            while ((text = in.readLine()) != null) {
                n++;
                if (!text.isBlank()) {
                    out.add(parse(n, text, schema));
                }
            }
        }
        rejectedCount = (int) out.stream().filter(l -> l.error() != null).count();
        return out;
    }

    static Line parse(int number, String text, Schema schema) {
        try {
            JsonNode j = JSON.readTree(text);
            if (j == null || !j.isObject()) {
                return new Line(number, text, null, "not a JSON object");
            }
            return new Line(number, text, change(j, schema), null);
        } catch (IOException e) {
            return new Line(
                    number,
                    text,
                    null,
                    "invalid JSON: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j2
                                    ? j2.getOriginalMessage()
                                    : e.getMessage()));
        } catch (StatecastException e) {
            return new Line(number, text, null, e.getMessage());
        }
    }

    private static Change<GenericRecord> change(JsonNode j, Schema schema) {
        JsonNode op = j.get("op");
        JsonNode key = j.get("key");
        if (op == null
                || !op.isTextual()
                || !(op.textValue().equals("UPSERT") || op.textValue().equals("DELETE"))) {
            throw new StatecastException("\"op\" must be \"UPSERT\" or \"DELETE\"");
        }
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
            throw new StatecastException("\"key\" must be a non-empty string");
        }
        JsonNode ev = j.get("expectedVersion");
        if (ev != null && !ev.isNull() && !(ev.isIntegralNumber() && ev.longValue() >= 0)) {
            throw new StatecastException("\"expectedVersion\" must be a whole number >= 0");
        }
        Long expected = ev == null || ev.isNull() ? null : ev.longValue();
        if (Op.valueOf(op.textValue()) == Op.DELETE) {
            if (j.has("value") && !j.get("value").isNull()) {
                throw new StatecastException("a DELETE carries no \"value\"");
            }
            return new Change<>(Op.DELETE, key.textValue(), null, expected);
        }
        if (!j.has("value") || j.get("value").isNull()) {
            throw new StatecastException("an UPSERT needs a \"value\"");
        }
        GenericRecord value = (GenericRecord) JsonAvro.fromJson(j.get("value"), schema, "value");
        return new Change<>(Op.UPSERT, key.textValue(), value, expected);
    }

    private void writeErrors(List<Line> bad) throws IOException {
        try (Writer w = Files.newBufferedWriter(errorsFile, StandardCharsets.UTF_8)) {
            for (Line l : bad) {
                ObjectNode o = JSON.createObjectNode();
                o.put("line", l.number());
                o.put("reason", l.error());
                o.put("input", l.text());
                w.write(JSON.writeValueAsString(o));
                w.write('\n');
            }
        }
        spec.commandLine().getErr().println(bad.size() + " bad line(s) written to " + errorsFile);
    }

    private Schema schema() {
        return ValueSchemaOptions.forWriting(valueSchema, valueType, kafka.kafka(), namespace);
    }
}
