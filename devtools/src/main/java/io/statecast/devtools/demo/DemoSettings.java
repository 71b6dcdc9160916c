package io.statecast.devtools.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * The demo's knobs (see {@code statecast demo --help}, where their defaults are), built with {@link
 * #builder()}:
 *
 * <pre>{@code
 * DemoSettings s = DemoSettings.builder().nodes(3).pods(200).agentsPerWave(3).rate(150)
 *         .duration(Duration.ofSeconds(8)).splay(Duration.ofSeconds(2)).seed(42).build();
 * }</pre>
 */
public final class DemoSettings {
    /** Where the simulator keeps the pods. */
    public enum Source {
        /** Written with {@code StatecastProducer} (the default). */
        KAFKA,
        /** Rows of a PostgreSQL table, captured into the pods namespace as {@code statecast capture postgres} does. */
        POSTGRES
    }

    private final String bootstrapServers;
    private final int nodes;
    private final int pods;
    private final int agentsPerWave;
    private final int rate;
    private final Duration duration;
    private final Duration splay;
    private final long seed;
    private final int corruptAgent;
    private final boolean slices;
    private final Source source;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;

    private DemoSettings(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.nodes = b.nodes;
        this.pods = b.pods;
        this.agentsPerWave = b.agentsPerWave;
        this.rate = b.rate;
        this.duration = b.duration;
        this.splay = b.splay;
        this.seed = b.seed;
        this.corruptAgent = b.corruptAgent;
        this.slices = b.slices;
        this.source = b.source;
        this.jdbcUrl = b.jdbcUrl;
        this.jdbcUser = b.jdbcUser;
        this.jdbcPassword = b.jdbcPassword;
    }

    /** A builder: every count 0, durations zero, seed 0, an embedded broker, no corrupted agent, slices on. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka to use, or null for an embedded broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Nodes at the start, each with an agent. */
    public int nodes() {
        return nodes;
    }

    /** Pods at the start. */
    public int pods() {
        return pods;
    }

    /** Agents (and nodes) that join in each scale-up wave. */
    public int agentsPerWave() {
        return agentsPerWave;
    }

    /** Changes per second during the churn. */
    public int rate() {
        return rate;
    }

    /** How long the churn lasts. */
    public Duration duration() {
        return duration;
    }

    /** Start-up splay of the second wave. */
    public Duration splay() {
        return splay;
    }

    /** Seed of the simulation. */
    public long seed() {
        return seed;
    }

    /** Index of the initial agent whose view is corrupted (self-heal off) to prove the final check fails; -1: none. */
    public int corruptAgent() {
        return corruptAgent;
    }

    /** Whether the agents read their node's {@code by-node} slice (else the whole table, filtered). */
    public boolean slices() {
        return slices;
    }

    /** Where the pods are kept (default {@link Source#KAFKA}). */
    public Source source() {
        return source;
    }

    /** With {@link Source#POSTGRES}: the server's JDBC URL, or null to start the machine's PostgreSQL binaries. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user of {@link #jdbcUrl()}. */
    public String jdbcUser() {
        return jdbcUser;
    }

    /** That user's password. */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** Builds {@link DemoSettings}; each setter returns the builder. */
    public static final class Builder {
        private String bootstrapServers;
        private int nodes;
        private int pods;
        private int agentsPerWave;
        private int rate;
        private Duration duration = Duration.ZERO;
        private Duration splay = Duration.ZERO;
        private long seed;
        private int corruptAgent = -1;
        private boolean slices = true;
        private Source source = Source.KAFKA;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;

        private Builder() {}

        /** Use this Kafka; null (the default) starts an embedded broker. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** See {@link DemoSettings#nodes()}. */
        public Builder nodes(int n) {
            this.nodes = n;
            return this;
        }

        /** See {@link DemoSettings#pods()}. */
        public Builder pods(int n) {
            this.pods = n;
            return this;
        }

        /** See {@link DemoSettings#agentsPerWave()}. */
        public Builder agentsPerWave(int n) {
            this.agentsPerWave = n;
            return this;
        }

        /** See {@link DemoSettings#rate()}. */
        public Builder rate(int changesPerSecond) {
            this.rate = changesPerSecond;
            return this;
        }

        /** See {@link DemoSettings#duration()}. */
        public Builder duration(Duration d) {
            this.duration = Objects.requireNonNull(d, "duration");
            return this;
        }

        /** See {@link DemoSettings#splay()}. */
        public Builder splay(Duration d) {
            this.splay = Objects.requireNonNull(d, "splay");
            return this;
        }

        /** See {@link DemoSettings#seed()}. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** See {@link DemoSettings#corruptAgent()}. */
        public Builder corruptAgent(int index) {
            this.corruptAgent = index;
            return this;
        }

        /** See {@link DemoSettings#slices()}. */
        public Builder slices(boolean on) {
            this.slices = on;
            return this;
        }

        /** See {@link DemoSettings#source()}. */
        public Builder source(Source s) {
            this.source = Objects.requireNonNull(s, "source");
            return this;
        }

        /** An existing PostgreSQL (with {@code wal_level=logical}) for {@link Source#POSTGRES}; null: local binaries. */
        public Builder jdbc(String url, String user, String password) {
            this.jdbcUrl = url;
            this.jdbcUser = user;
            this.jdbcPassword = password;
            return this;
        }

        /** The settings. */
        public DemoSettings build() {
            return new DemoSettings(this);
        }
    }
}
