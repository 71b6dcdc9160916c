package io.statecast.cli.commands;

import io.statecast.cli.simulate.ClusterSimulator;
import io.statecast.common.Receipt;
import io.statecast.producer.StatecastProducer;
import io.statecast.schemas.demo.Pod;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statecast simulate}: the demo's cluster simulator on its own, writing Pod churn to a namespace. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Write a Kubernetes-like Pod churn (scheduled, running, terminated, rescheduled) to <ns>.changes.")
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--namespace", required = true, description = "Namespace to write pods to.")
    String namespace;

    @Option(
            names = "--nodes",
            defaultValue = "10",
            description = "Nodes pods are scheduled on: node-0… (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--pods", defaultValue = "1000", description = "Pods written first (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Changes per second afterwards (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--duration",
            defaultValue = "0",
            description = "Seconds of churn; 0 = until stopped (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        ClusterSimulator sim = new ClusterSimulator(seed);
        for (int i = 0; i < nodes; i++) {
            sim.joinNode();
        }
        try (StatecastProducer<Pod> p = StatecastProducer.builder(Pod.class)
                .namespace(namespace)
                .kafka(kafka.kafka())
                .producerId("simulator")
                .build()) {
            for (int i = 0; i < pods; i++) {
                send(p, sim.createPod(i % 10 != 0));
            }
            p.flush();
            System.err.println("wrote " + pods + " pods on " + nodes + " nodes; churning at " + rate + "/s");
            long start = System.nanoTime();
            long sent = 0;
            while (duration == 0 || System.nanoTime() - start < duration * 1_000_000_000L) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    send(p, sim.next());
                }
                Thread.sleep(10);
            }
        }
        return 0;
    }

    private static CompletableFuture<Receipt> send(StatecastProducer<Pod> p, ClusterSimulator.Step s) {
        CompletableFuture<Receipt> r = s.delete() ? p.delete(s.key()) : p.upsert(s.key(), s.pod());
        return r.whenComplete((ok, e) -> {
            if (e != null) {
                System.err.println("send failed: " + e.getMessage());
            }
        });
    }
}
