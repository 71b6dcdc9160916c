package io.statecast.cli.simulate;

import io.statecast.schemas.demo.Container;
import io.statecast.schemas.demo.Node;
import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Kubernetes-like cluster as a stream of state changes (pure logic): nodes join; pods are created
 * pending, scheduled onto a node, start running, and later terminate (deleted), fail and get
 * rescheduled onto another node, or restart. Deterministic for a seed.
 */
public final class ClusterSimulator {
    /** One change for the demo to write. {@code pod} null with {@code delete} true removes the key. */
    public record Step(String key, Pod pod, Node node, boolean delete) {}

    private static final String[] APPS = {"web", "api", "worker", "cache", "batch", "metrics"};
    private final Random random;
    private final List<String> nodes = new ArrayList<>();
    private final Map<String, Pod> pods = new HashMap<>();
    private final List<String> podKeys = new ArrayList<>();
    private long serial;

    public ClusterSimulator(long seed) {
        io.statecast.schemas.SchemaResolver.builtIn(); // trusts the demo classes for Avro's builders
        this.random = new Random(seed);
    }

    /** A node joining the cluster. */
    public Step joinNode() {
        String name = "node-" + nodes.size();
        nodes.add(name);
        Node n = Node.newBuilder()
                .setName(name)
                .setZone("zone-" + (nodes.size() % 3))
                .setCpuMillis(16_000)
                .setMemoryBytes(64L << 30)
                .setKubeletVersion("v1.31.2")
                .setLabels(Map.of("pool", "default"))
                .setJoinedAt(Instant.now())
                .build();
        return new Step(name, null, n, false);
    }

    public List<String> nodes() {
        return nodes;
    }

    /** The pods as the simulator believes they are (the expected table). */
    public Map<String, Pod> pods() {
        return pods;
    }

    /** A new pod, already scheduled (most initial pods) or pending. */
    public Step createPod(boolean scheduled) {
        String app = APPS[random.nextInt(APPS.length)];
        String key = "default/" + app + "-" + Long.toString(serial++, 36);
        Pod p = Pod.newBuilder()
                .setNamespace("default")
                .setName(key.substring(8))
                .setUid("uid-" + serial)
                .setNode(scheduled ? randomNode() : null)
                .setPhase(scheduled ? PodPhase.RUNNING : PodPhase.PENDING)
                .setLabels(Map.of("app", app, "tier", random.nextBoolean() ? "frontend" : "backend"))
                .setContainers(List.of(Container.newBuilder()
                        .setName(app)
                        .setImage("registry.local/" + app + ":1." + random.nextInt(20))
                        .setCpuMillis(100 * (1 + random.nextInt(8)))
                        .setMemoryBytes((128L << 20) * (1 + random.nextInt(8)))
                        .setPorts(List.of(8080))
                        .build()))
                .setPodIp(scheduled ? "10.0." + random.nextInt(256) + "." + random.nextInt(256) : null)
                .setCreatedAt(Instant.now())
                .setStartedAt(scheduled ? Instant.now() : null)
                .build();
        pods.put(key, p);
        podKeys.add(key);
        return new Step(key, p, null, false);
    }

    /** One random lifecycle event of the cluster. */
    public Step next() {
        int dice = random.nextInt(100);
        if (podKeys.isEmpty() || dice < 15) {
            return createPod(false);
        }
        String key = podKeys.get(random.nextInt(podKeys.size()));
        Pod p = pods.get(key);
        if (p.getPhase() == PodPhase.PENDING) {
            return update(
                    key,
                    Pod.newBuilder(p)
                            .setNode(randomNode())
                            .setPhase(PodPhase.RUNNING)
                            .setPodIp("10.1." + random.nextInt(256) + "." + random.nextInt(256))
                            .setStartedAt(Instant.now())
                            .build());
        }
        if (dice < 35) {
            return delete(key); // terminated
        }
        if (dice < 50) {
            return update(
                    key,
                    Pod.newBuilder(p).setNode(randomNode()).setRestartCount(0).build()); // rescheduled
        }
        return update(
                key, Pod.newBuilder(p).setRestartCount(p.getRestartCount() + 1).build()); // container restart
    }

    private Step update(String key, Pod p) {
        pods.put(key, p);
        return new Step(key, p, null, false);
    }

    private Step delete(String key) {
        pods.remove(key);
        podKeys.remove(key);
        return new Step(key, null, null, true);
    }

    private String randomNode() {
        return nodes.get(random.nextInt(nodes.size()));
    }
}
