package io.statecast.producer.internal;

import io.statecast.common.Namespace;
import io.statecast.producer.TopicOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The topics of a namespace and their configs, as DESIGN.md gives them. */
public final class TopicSpecs {
    /** Configs shown by {@code topics describe}. */
    public static final List<String> SHOWN_CONFIGS = List.of(
            "cleanup.policy",
            "retention.ms",
            "min.compaction.lag.ms",
            "message.timestamp.type",
            "min.insync.replicas",
            "max.message.bytes");

    private static final long DAY_MS = 24L * 3600 * 1000;

    private TopicSpecs() {}

    /** One topic to create. */
    public record Spec(String name, int partitions, Map<String, String> configs) {}

    public static List<Spec> of(Namespace ns, TopicOptions o) {
        String isr = Integer.toString(Math.min(2, o.replicationFactor()));
        List<Spec> out = new ArrayList<>();
        // Every change is kept for the whole window, by the broker's clock: a compacted changes topic let the
        // cleaner drop a change the materializer had not processed (an UPSERT superseded by a later one).
        out.add(spec(
                ns.changes(),
                o.partitions(),
                isr,
                "cleanup.policy",
                "delete",
                "retention.ms",
                Long.toString(o.changesRetention().toMillis()),
                "message.timestamp.type",
                "LogAppendTime"));
        out.add(spec(
                ns.state(),
                o.partitions(),
                isr,
                "cleanup.policy",
                "compact",
                "min.compaction.lag.ms",
                Long.toString(10 * o.checksumInterval().toMillis()),
                // The cleaner measures min.compaction.lag.ms against record timestamps with the broker's clock; the
                // broker's append time makes a view's "written within the lag" judgement use that clock too, not
                // the materializer's.
                "message.timestamp.type",
                "LogAppendTime"));
        out.add(spec(
                ns.checksums(),
                o.partitions(),
                isr,
                "cleanup.policy",
                "compact,delete",
                "retention.ms",
                Long.toString(7 * DAY_MS)));
        out.add(spec(
                ns.rejections(),
                o.partitions(),
                isr,
                "cleanup.policy",
                "delete",
                "retention.ms",
                Long.toString(30 * DAY_MS)));
        if (o.history()) {
            out.add(spec(
                    ns.history(),
                    o.partitions(),
                    isr,
                    "cleanup.policy",
                    "delete",
                    "retention.ms",
                    o.historyRetention() == null
                            ? "-1"
                            : Long.toString(o.historyRetention().toMillis())));
        }
        out.add(spec(ns.schemas(), 1, isr, "cleanup.policy", "compact"));
        out.add(slicesTopic(ns, o.replicationFactor()));
        return out;
    }

    /** {@code <ns>.slices}: the slice definitions, compacted, one partition. */
    public static Spec slicesTopic(Namespace ns, short replicationFactor) {
        return spec(ns.slices(), 1, Integer.toString(Math.min(2, replicationFactor)), "cleanup.policy", "compact");
    }

    /** State configs a slice topic copies: it follows the same compaction and retention rules. */
    public static final List<String> SLICE_COPIES_FROM_STATE = List.of(
            "cleanup.policy", "min.compaction.lag.ms", "delete.retention.ms", "retention.ms", "message.timestamp.type");

    /**
     * The two topics of a slice: {@code <ns>.slice.<name>} with the state topic's compaction and
     * retention configs, and its checksums topic configured like {@code <ns>.checksums}.
     */
    public static List<Spec> slice(
            Namespace ns, String name, int partitions, Map<String, String> stateConfigs, short replicationFactor) {
        String isr = Integer.toString(Math.min(2, replicationFactor));
        Map<String, String> c = new LinkedHashMap<>();
        for (String key : SLICE_COPIES_FROM_STATE) {
            if (stateConfigs.containsKey(key)) {
                c.put(key, stateConfigs.get(key));
            }
        }
        c.putIfAbsent("cleanup.policy", "compact");
        c.put("min.insync.replicas", isr);
        return List.of(
                new Spec(ns.slice(name), partitions, c),
                spec(
                        ns.sliceChecksums(name),
                        partitions,
                        isr,
                        "cleanup.policy",
                        "compact,delete",
                        "retention.ms",
                        Long.toString(7 * DAY_MS)));
    }

    private static Spec spec(String name, int partitions, String minIsr, String... kv) {
        Map<String, String> c = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            c.put(kv[i], kv[i + 1]);
        }
        c.put("min.insync.replicas", minIsr);
        return new Spec(name, partitions, c);
    }
}
