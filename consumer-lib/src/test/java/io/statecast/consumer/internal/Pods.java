package io.statecast.consumer.internal;

import io.statecast.common.Digest;
import io.statecast.common.DigestValue;
import io.statecast.schemas.AvroCodec;
import io.statecast.schemas.SchemaResolver;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Demo pods as a plain-topic view reads them (the value bytes are the encoded Pod), for the rules' tests. */
final class Pods {
    static final AvroCodec<Pod> AVRO = AvroCodec.specific(Pod.class, SchemaResolver.builtIn());
    static final ValueCodec<Pod> CODEC = new ValueCodec<>(AVRO, false);

    private Pods() {}

    static Pod pod(String name, String node, int version) {
        return Pod.newBuilder()
                .setNamespace("default")
                .setName(name)
                .setUid("uid-" + name + "-" + version)
                .setNode(node)
                .setPhase(PodPhase.RUNNING)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    static byte[] bytes(Pod p) {
        return AVRO.encode(p);
    }

    static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    /** The digest the materializer keeps for these entries (key, value bytes as written). */
    static DigestValue digestOf(Map<String, byte[]> entries) {
        Digest d = new Digest();
        entries.forEach((k, v) -> d.add(key(k), v));
        return d.value();
    }

    /** A partition's stored entries, decoded. */
    static Map<String, Pod> stored(PartitionTable t) {
        Map<String, Pod> out = new TreeMap<>();
        t.entries.forEach((k, v) -> out.put(new String(k, StandardCharsets.UTF_8), CODEC.decodeStored(v, t.isRaw(k))));
        return out;
    }
}
