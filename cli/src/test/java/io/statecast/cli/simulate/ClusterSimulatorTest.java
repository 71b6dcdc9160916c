package io.statecast.cli.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.schemas.demo.Pod;
import io.statecast.schemas.demo.PodPhase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSimulatorTest {

    @Test
    void theStepsReplayedGiveTheSimulatorsTableAndCoverTheLifecycle() {
        ClusterSimulator sim = new ClusterSimulator(1);
        for (int i = 0; i < 5; i++) {
            sim.joinNode();
        }
        Map<String, Pod> replayed = new HashMap<>();
        int deletes = 0;
        int reschedules = 0;
        for (int i = 0; i < 5000; i++) {
            ClusterSimulator.Step s = i < 200 ? sim.createPod(true) : sim.next();
            if (s.delete()) {
                replayed.remove(s.key());
                deletes++;
            } else {
                Pod before = replayed.put(s.key(), s.pod());
                if (before != null
                        && before.getNode() != null
                        && s.pod().getNode() != null
                        && !before.getNode().equals(s.pod().getNode())) {
                    reschedules++;
                }
            }
        }
        assertEquals(sim.pods(), replayed);
        assertTrue(deletes > 100 && reschedules > 100, "deletes " + deletes + ", reschedules " + reschedules);
        assertTrue(replayed.values().stream().anyMatch(p -> p.getPhase() == PodPhase.PENDING));
        assertTrue(replayed.values().stream()
                .allMatch(p -> p.getPhase() == PodPhase.PENDING || sim.nodes().contains(p.getNode())));
    }
}
