package io.statecast.audit;

import io.statecast.audit.internal.Comparability;
import io.statecast.audit.internal.FieldDiff;
import io.statecast.audit.internal.LogReader;
import io.statecast.audit.internal.LogVerification;
import io.statecast.audit.internal.PayloadJson;
import io.statecast.audit.internal.Replays;
import io.statecast.audit.internal.SliceAudit;
import io.statecast.audit.internal.Source;
import io.statecast.audit.internal.StateProjection;
import io.statecast.audit.internal.StateRecords;
import io.statecast.audit.internal.TableReplay;
import io.statecast.audit.internal.Topics;
import io.statecast.common.Namespace;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.KafkaClients;
import io.statecast.schemas.Checksum;
import io.statecast.schemas.Envelopes;
import io.statecast.schemas.Rejection;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.SchemaTopic;
import io.statecast.schemas.SliceDefinition;
import io.statecast.schemas.SliceDefinitions;
import io.statecast.schemas.SliceField;
import io.statecast.schemas.SliceValueReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * Read-only replays of a namespace, for auditors: the table as of a point, a key's history, an
 * independent recomputation of the materializer's checksums, diffs, rejections. It never writes to a
 * topic, joins no consumer group and commits no offsets. Exact definitions: docs/audit.md.
 *
 * <pre>{@code
 * try (Auditor auditor = new Auditor(Map.of("bootstrap.servers", servers), Namespace.of("k8s"))) {
 *     Table yesterday = auditor.asOf(PointInTime.at(Instant.parse("2026-11-23T12:00:00Z")));
 *     List<Entry> versions = auditor.history("default/web-1");
 *     VerifyReport report = auditor.verify();   // report.ok() is false on any mismatch
 * }
 * }</pre>
 */
public final class Auditor implements AutoCloseable {
    /** The caveat of a replay from the compacted state topic (the namespace has no usable history). */
    public static final String COMPACTION_CAVEAT = "rebuilt from the compacted state topic (no history topic): a key"
            + " overwritten or deleted after this point may have lost its older records to compaction, so the table"
            + " is exact only for points within the topic's min.compaction.lag.ms of now or at its end";
    /** How far the broker's clock may run ahead of ours when judging what the log cleaner could have touched. */
    static final long CLOCK_MARGIN_MS = 60_000;

    private final Map<String, Object> kafka;
    private final Namespace ns;
    private final Clock clock;
    private final Admin admin;
    private final Topics topics;
    private final PayloadJson payloads;
    private BiConsumer<String, Double> progress = (topic, pct) -> {};

    /** An auditor of {@code ns} over the Kafka client config {@code kafka} (passed through untouched). */
    public Auditor(Map<String, ?> kafka, Namespace ns) {
        this(kafka, ns, Clock.systemUTC());
    }

    /**
     * As {@link #Auditor(Map, Namespace)}, with the clock that judges the compaction lag.
     *
     * @throws NamespaceNotFoundException when {@code <ns>.state} does not exist
     */
    public Auditor(Map<String, ?> kafka, Namespace ns, Clock clock) {
        this.kafka = new HashMap<>(kafka);
        this.ns = ns;
        this.clock = clock;
        this.admin = KafkaClients.admin(kafka);
        this.topics = new Topics(admin);
        this.payloads = new PayloadJson(kafka, ns);
        try {
            requireNamespace();
        } catch (RuntimeException e) {
            admin.close(Duration.ofSeconds(5));
            throw e;
        }
    }

    private void requireNamespace() {
        Set<String> names = topics.names();
        if (!names.contains(ns.state())) {
            List<String> known = names.stream()
                    .filter(n -> n.endsWith(".state"))
                    .map(n -> n.substring(0, n.length() - ".state".length()))
                    .sorted()
                    .toList();
            throw new NamespaceNotFoundException(ns.name(), ns.state(), known);
        }
    }

    /** Receives (topic, percent read) during replays; called on the caller's thread. */
    public Auditor onProgress(BiConsumer<String, Double> listener) {
        this.progress = listener;
        return this;
    }

    /** The namespace audited. */
    public Namespace namespace() {
        return ns;
    }

    /** Whether the namespace has a {@code history} topic that still holds its beginning. */
    public boolean hasHistory() {
        return source().history();
    }

    /** The table as it was at {@code point}, from {@code history} when usable, else from {@code state} with a caveat. */
    public Table asOf(PointInTime point) {
        return tablesAt(List.of(point)).get(0);
    }

    /** Keys added, removed and changed between two points (one pass over the log). */
    public Diff diff(PointInTime from, PointInTime to) {
        List<Table> t = tablesAt(List.of(from, to));
        Map<String, Entry> a = t.get(0).entries();
        Map<String, Entry> b = t.get(1).entries();
        List<Entry> added =
                b.values().stream().filter(e -> !a.containsKey(e.key())).toList();
        List<Entry> removed =
                a.values().stream().filter(e -> !b.containsKey(e.key())).toList();
        List<Diff.Changed> changed = b.values().stream()
                .filter(e -> a.containsKey(e.key()) && a.get(e.key()).version() != e.version())
                .map(e -> new Diff.Changed(e.key(), a.get(e.key()).version(), e.version(), changes(a.get(e.key()), e)))
                .toList();
        return new Diff(added, removed, changed, t.get(1).caveat());
    }

    private List<Table> tablesAt(List<PointInTime> points) {
        Source source = source();
        int partitions = topics.partitionCount(ns.state());
        points.forEach(p -> p.checkPartitions(partitions));
        Replays replays = Replays.run(reader(), source.topic(), points);
        List<Table> out = new ArrayList<>();
        for (TableReplay t : replays.tables()) {
            checkTimeInLog(t.point(), replays.firstTimestamp(), source.topic());
            out.add(new Table(t.entries(), source.topic(), caveat(source, replays), replays.skipped()));
        }
        return out;
    }

    private static String caveat(Source source, Replays replays) {
        if (source.history() && replays.versionGaps() > 0) {
            return "rebuilt from " + source.topic() + ", which misses versions (" + replays.versionGaps()
                    + " records do not"
                    + " follow their key's previous version: history was enabled late or lost records), so the table"
                    + " may lack keys that did not change since";
        }
        return source.caveat();
    }

    private static void checkTimeInLog(PointInTime point, long firstTimestamp, String topic) {
        if (point.time() != null
                && firstTimestamp != Long.MAX_VALUE
                && point.time().toEpochMilli() < firstTimestamp) {
            throw new TimeBeforeLogStartException(topic, point.time(), Instant.ofEpochMilli(firstTimestamp));
        }
    }

    /**
     * Every version of {@code key}, oldest first, deletes included.
     *
     * @throws KeyNotFoundException when the log has no record of the key
     */
    public List<Entry> history(String key) {
        Source source = source();
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        List<Entry> out = new ArrayList<>();
        reader().forEach(source.topic(), r -> {
            if (r.key() != null && Arrays.equals(r.key(), wanted)) {
                Entry e = StateRecords.entry(r);
                if (e != null) {
                    out.add(e);
                }
            }
        });
        if (out.isEmpty()) {
            throw new KeyNotFoundException(ns.name(), key, source.topic(), !source.history());
        }
        out.sort(Comparator.comparingLong(Entry::version));
        return out;
    }

    /**
     * Every version of {@code key}, oldest first, each with its value decoded (with its writer schema, found
     * among the built-in schemas and in {@code <ns>.schemas}) and the fields changed since the version before.
     *
     * @throws KeyNotFoundException when the log has no record of the key
     * @throws io.statecast.common.SchemaNotFoundException when a value's writer schema is in no known place
     */
    public List<Version> versions(String key) {
        List<Version> out = new ArrayList<>();
        Entry previous = null;
        for (Entry e : history(key)) {
            out.add(new Version(
                    e, payloads.json(e.payload()), previous == null ? 0 : previous.version(), changes(previous, e)));
            previous = e;
        }
        return out;
    }

    private List<FieldChange> changes(Entry from, Entry to) {
        if (from == null || from.isDelete() || to.isDelete()) {
            return List.of();
        }
        return FieldDiff.between(payloads.json(from.payload()), payloads.json(to.payload()));
    }

    /** The rejected inputs whose rejection time is at or after {@code since} (null: all). */
    public Rejections rejections(Instant since) {
        List<Rejection> out = new ArrayList<>();
        long[] undecodable = {0};
        reader().forEach(ns.rejections(), r -> {
            try {
                Rejection rej = Envelopes.rejection().decode(r.value());
                if (since == null || !rej.getRejectedAt().isBefore(since)) {
                    out.add(rej);
                }
            } catch (StatecastException | NullPointerException e) {
                undecodable[0]++; // a foreign record on the topic: counted, never fatal
            }
        });
        return new Rejections(out, undecodable[0]);
    }

    /**
     * Recomputes each partition's digest from the {@code state} log and compares it with every checksum of
     * {@code checksums} at the checkpoints where the replay is exact; where the namespace has a complete
     * {@code history} (it starts at offset 0, no key skips a version, and it ends on the same digest as
     * {@code state}), every checkpoint is judged from it. Every slice of {@code <ns>.slices} is checked too:
     * its checksums against a replay of the slice log, and its contents against the state projected by its
     * field. See docs/audit.md.
     */
    public VerifyReport verify() {
        // Checksums first: each is committed with the records it covers, so logs read afterwards hold them all.
        long[] undecodable = {0};
        Map<Integer, List<Checksum>> checksums = readChecksums(undecodable);
        int partitions = topics.partitionCount(ns.state());
        long lag = Long.parseLong(topics.config(ns.state(), "min.compaction.lag.ms"));
        LogVerification state = LogVerification.run(
                reader(),
                ns.state(),
                partitions,
                checksums,
                Comparability.compacted(lag, clock.millis(), CLOCK_MARGIN_MS));
        Source source = source();
        LogVerification history = source.history()
                ? LogVerification.run(reader(), ns.history(), partitions, checksums, Comparability.appendOnly())
                : null;
        List<VerifyReport.PartitionResult> results = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            results.add(choose(p, state, history, source));
        }
        return new VerifyReport(results, undecodable[0], verifySlices());
    }

    // Each slice: its checksums against a replay of the slice log, its contents against the state projected.
    private List<SliceReport> verifySlices() {
        List<SliceDefinition> defs = new ArrayList<>(
                SliceDefinitions.read(kafka, ns, Duration.ofSeconds(60)).values());
        if (defs.isEmpty()) {
            return List.of();
        }
        try (SchemaTopic schemas = SchemaTopic.open(kafka, ns)) {
            SchemaResolver resolver = SchemaResolver.withTopic(schemas);
            StateProjection state = StateProjection.of(
                    reader(),
                    ns.state(),
                    defs.stream()
                            .map(d -> new SliceValueReader(SliceField.parse(d.getField()), resolver))
                            .toList());
            List<SliceReport> out = new ArrayList<>();
            for (int i = 0; i < defs.size(); i++) {
                String topic = ns.slice(defs.get(i).getName());
                long lag = Long.parseLong(topics.config(topic, "min.compaction.lag.ms"));
                out.add(SliceAudit.verify(
                        reader(),
                        ns,
                        defs.get(i),
                        state,
                        i,
                        Comparability.compacted(lag, clock.millis(), CLOCK_MARGIN_MS)));
            }
            return out;
        }
    }

    private VerifyReport.PartitionResult choose(int p, LogVerification state, LogVerification history, Source source) {
        if (history == null) {
            return state.finish(p, source.caveat() == null ? null : "history unusable: " + source.caveat());
        }
        if (history.hasVersionGap(p)) {
            return state.finish(p, "history of this partition misses versions: judged from state");
        }
        if (!history.endDigest(p).equals(state.endDigest(p))) {
            return state.finish(
                    p, "history and state end on different digests (written meanwhile?): judged from state");
        }
        return history.finish(p, null);
    }

    private Map<Integer, List<Checksum>> readChecksums(long[] undecodable) {
        Map<Integer, List<Checksum>> out = new TreeMap<>();
        reader().forEach(ns.checksums(), r -> {
            Object v;
            try {
                v = r.value() == null ? null : Envelopes.decodeChecksumsValue(r.value());
            } catch (StatecastException e) {
                v = null;
            }
            if (v instanceof Checksum c) {
                out.computeIfAbsent(c.getPartition(), k -> new ArrayList<>()).add(c);
            } else if (v == null) {
                undecodable[0]++;
            }
        });
        return out;
    }

    // History is usable when it exists and retention has not removed its beginning.
    private Source source() {
        if (!topics.names().contains(ns.history())) {
            return new Source(ns.state(), false, COMPACTION_CAVEAT);
        }
        Map<Integer, Long> starts = topics.logStartOffsets(ns.history());
        for (Map.Entry<Integer, Long> s : starts.entrySet()) {
            if (s.getValue() > 0) {
                return new Source(
                        ns.state(),
                        false,
                        "rebuilt from the compacted state topic because " + ns.history()
                                + " lost its beginning to retention (partition " + s.getKey() + " starts at offset "
                                + s.getValue()
                                + "): " + COMPACTION_CAVEAT.substring(COMPACTION_CAVEAT.indexOf("a key")));
            }
        }
        return new Source(ns.history(), true, null);
    }

    private LogReader reader() {
        return new LogReader(kafka, progress);
    }

    /** Closes the admin client (bounded) and the schemas topic's clients. Idempotent. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        payloads.close();
    }
}
