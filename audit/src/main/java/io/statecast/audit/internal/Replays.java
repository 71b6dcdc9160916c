package io.statecast.audit.internal;

import io.statecast.audit.Entry;
import io.statecast.audit.PointInTime;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One pass over a log building the tables at several points, with what the pass learnt about the log. */
public final class Replays {
    private final List<TableReplay> tables;
    private final VersionGaps gaps = new VersionGaps();
    private long skipped;
    private long firstTimestamp = Long.MAX_VALUE;

    private Replays(List<PointInTime> points) {
        this.tables = points.stream().map(TableReplay::new).toList();
    }

    /** Reads {@code topic} once and builds the table at each of {@code points}. */
    public static Replays run(LogReader reader, String topic, List<PointInTime> points) {
        Replays r = new Replays(points);
        reader.forEach(topic, r::accept);
        return r;
    }

    void accept(ConsumerRecord<byte[], byte[]> r) {
        Entry e = StateRecords.entry(r);
        if (e == null) {
            skipped++;
            return;
        }
        firstTimestamp = Math.min(firstTimestamp, r.timestamp());
        gaps.see(r.partition(), e.key(), e.version());
        for (TableReplay t : tables) {
            t.apply(e, r.timestamp());
        }
    }

    /** The tables, in the order of the points. */
    public List<TableReplay> tables() {
        return tables;
    }

    /** Records that were not state records. */
    public long skipped() {
        return skipped;
    }

    /** The oldest timestamp of a state record in the log, or {@code Long.MAX_VALUE} for an empty log. */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    /** Records that did not follow their key's previous version. */
    public long versionGaps() {
        return gaps.gaps();
    }
}
