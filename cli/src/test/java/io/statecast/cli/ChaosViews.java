package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.consumer.ViewStats;
import io.statecast.schemas.demo.Node;
import io.statecast.testkit.KafkaFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The chaos suite's views: three, restarted in place; snapshots for views 1 and 2 (warm restarts). */
final class ChaosViews {
    static final int COUNT = 3;
    private final KafkaFixture kafka;
    private final Namespace ns;
    private final Path dir;

    @SuppressWarnings("unchecked")
    private final StateView<Node>[] views = new StateView[COUNT];

    private final List<ViewStats.Checks> closed = new ArrayList<>();

    ChaosViews(KafkaFixture kafka, Namespace ns, Path dir) {
        this.kafka = kafka;
        this.ns = ns;
        this.dir = dir;
    }

    void open(int i, boolean expectWarm) {
        StateView.Builder<Node> b = StateView.builder(Node.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .verification(true, 4096);
        if (i > 0) {
            b.snapshots(dir.resolve("snapshots-" + i), Duration.ofSeconds(5));
        }
        views[i] = b.build().start();
        views[i].awaitReady(Duration.ofMinutes(3));
        if (expectWarm) {
            assertTrue(
                    views[i].stats().startMode().startsWith("warm restart"),
                    "view " + i + " restarted warm: " + views[i].stats().startMode());
        }
    }

    void reopen(int i) {
        closed.add(views[i].stats().checks());
        views[i].close();
        open(i, i > 0);
    }

    StateView<Node> view(int i) {
        return views[i];
    }

    ViewStats.Checks totalChecks() {
        List<ViewStats.Checks> all = new ArrayList<>(closed);
        for (StateView<Node> v : views) {
            all.add(v.stats().checks());
        }
        return new ViewStats.Checks(
                all.stream().mapToLong(ViewStats.Checks::verified).sum(),
                all.stream().mapToLong(ViewStats.Checks::mismatched).sum(),
                all.stream().mapToLong(ViewStats.Checks::notComparable).sum(),
                all.stream().mapToLong(ViewStats.Checks::heals).sum(),
                all.stream().mapToLong(ViewStats.Checks::alarms).sum());
    }

    void closeAll() {
        for (StateView<Node> v : views) {
            v.close();
        }
    }
}
