package io.statecast.devtools.demo;

import java.time.Duration;

/** The demo's knobs (see {@code statecast demo --help}). */
public record DemoSettings(
        String bootstrapServers,
        int nodes,
        int pods,
        int agentsPerWave,
        int rate,
        Duration duration,
        Duration splay,
        long seed,
        int corruptAgent) {}
