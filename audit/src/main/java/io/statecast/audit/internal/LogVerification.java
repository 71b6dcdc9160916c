package io.statecast.audit.internal;

import io.statecast.audit.Entry;
import io.statecast.audit.VerifyReport;
import io.statecast.common.DigestValue;
import io.statecast.schemas.Checksum;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One pass over a {@code state} or {@code history} log, verifying every partition's checksums. */
public final class LogVerification {
    private final Map<Integer, PartitionVerifier> verifiers = new TreeMap<>();
    private final VersionGaps gaps = new VersionGaps();

    private LogVerification(String topic, int partitions, Map<Integer, List<Checksum>> checksums, Comparability rule) {
        for (int p = 0; p < partitions; p++) {
            verifiers.put(p, new PartitionVerifier(p, topic, checksums.getOrDefault(p, List.of()), rule));
        }
    }

    /** Reads {@code topic} once and judges the checksums of each of its {@code partitions}. */
    public static LogVerification run(
            LogReader reader,
            String topic,
            int partitions,
            Map<Integer, List<Checksum>> checksums,
            Comparability rule) {
        LogVerification v = new LogVerification(topic, partitions, checksums, rule);
        reader.forEach(topic, v::accept);
        return v;
    }

    void accept(ConsumerRecord<byte[], byte[]> r) {
        PartitionVerifier v = verifiers.get(r.partition());
        Entry e = StateRecords.entry(r);
        if (e == null) {
            v.skip();
            return;
        }
        gaps.see(r.partition(), e.key(), e.version());
        v.accept(r.key(), r.value(), e.srcOffset(), r.timestamp());
    }

    /** The digest of partition {@code p} at the end of the log. */
    public DigestValue endDigest(int p) {
        return verifiers.get(p).digest();
    }

    /** Whether some key of partition {@code p} skipped a version (the log misses records). */
    public boolean hasVersionGap(int p) {
        return gaps.hasGap(p);
    }

    /** The result of partition {@code p}; call once. */
    public VerifyReport.PartitionResult finish(int p, String note) {
        return verifiers.get(p).finish(note);
    }
}
