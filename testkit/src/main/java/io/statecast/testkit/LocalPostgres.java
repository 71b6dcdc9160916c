package io.statecast.testkit;

import io.statecast.testkit.internal.FreePorts;
import io.statecast.testkit.internal.PgProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server from the machine's binaries: {@code initdb} in a temporary directory, then {@code pg_ctl
 * start} on 127.0.0.1 and a free port with {@code wal_level=logical} (or what {@link Builder#walLevel} says);
 * {@link #close()} stops it and deletes the directory. As root, the programs run as an unprivileged user (they
 * refuse root). The binaries come from {@code STATECAST_PG_BIN}, else {@code pg_config --bindir}, else the
 * newest {@code /usr/lib/postgresql/N/bin} (Debian's {@code postgresql} package).
 *
 * <pre>{@code
 * try (LocalPostgres pg = LocalPostgres.builder().build().start()) {
 *     try (Connection c = pg.connect()) { ... }
 *     pg.restart();                       // same port and data: clients reconnect
 * }
 * }</pre>
 */
public final class LocalPostgres implements PostgresServer {
    /** The test database every kind of server offers. */
    public static final String DATABASE = "statecast";
    /** Its superuser (replication included). */
    public static final String USER = "statecast";
    /** That user's password. */
    public static final String PASSWORD = "statecast-test";
    /** Environment variable naming the directory of {@code initdb} and {@code pg_ctl}. */
    public static final String BIN_ENV = "STATECAST_PG_BIN";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String walLevel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalPostgres(Path bin, Path dir, int port, String walLevel) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.walLevel = walLevel;
    }

    /** A builder; nothing runs until {@link Builder#build()} and {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the binaries are, or empty when this machine has none. */
    public static Optional<Path> findBinaries() {
        String env = System.getenv(BIN_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(LocalPostgres::hasInitdb);
        }
        Optional<Path> fromPgConfig = pgConfigBindir().filter(LocalPostgres::hasInitdb);
        if (fromPgConfig.isPresent()) {
            return fromPgConfig;
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(LocalPostgres::hasInitdb)
                    .max(Comparator.comparing(LocalPostgres::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code initdb} (once: a formatted directory is reused), starts the server and creates the test
     * database.
     *
     * @throws PostgresUnavailableException naming the cause and the fix
     */
    public LocalPostgres start() {
        try {
            if (!Files.exists(data().resolve("PG_VERSION"))) {
                initdb();
            }
            pgCtlStart();
            createDatabase();
            log.info("PostgreSQL ready at {} (wal_level={}, data: {})", jdbcUrl(), walLevel, dir);
            return this;
        } catch (IOException | SQLException e) {
            throw new PostgresUnavailableException(
                    "Cannot start PostgreSQL from " + bin + ": " + e.getMessage() + serverLogTail(), e);
        }
    }

    /** Stops the server gracefully and starts it again on the same port and data. */
    public void restart() {
        stop("fast");
        start();
    }

    /** Stops the server: {@code fast} (clients disconnected, clean shutdown) or {@code immediate} (a crash). */
    public void stop(String mode) {
        try {
            PgProcess.run(List.of(tool("pg_ctl"), "stop", "-w", "-m", mode, "-D", data().toString()), TIMEOUT);
        } catch (IOException e) {
            throw new IllegalStateException("pg_ctl stop failed: " + e.getMessage(), e);
        }
    }

    private void initdb() throws IOException {
        PgProcess.handOver(dir);
        PgProcess.requireReachable(dir);
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, PASSWORD, StandardCharsets.UTF_8);
        PgProcess.handOver(pw);
        PgProcess.run(
                List.of(
                        tool("initdb"),
                        "-D",
                        data().toString(),
                        "-U",
                        USER,
                        "--pwfile=" + pw,
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--locale=C"),
                TIMEOUT);
        Files.delete(pw);
    }

    private void pgCtlStart() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(tool("pg_ctl"), "start", "-w", "-t", "60", "-D", data().toString()));
        cmd.addAll(List.of("-l", dir.resolve("server.log").toString(), "-o", serverOptions()));
        PgProcess.run(cmd, TIMEOUT);
    }

    // fsync off: a test server's data need not survive a power cut, and it makes commits much faster.
    private String serverOptions() {
        return String.join(
                " ",
                "-c listen_addresses=127.0.0.1",
                "-c port=" + port,
                "-c unix_socket_directories=" + dir,
                "-c wal_level=" + walLevel,
                "-c max_replication_slots=64",
                "-c max_wal_senders=64",
                "-c max_connections=200",
                "-c fsync=off",
                "-c full_page_writes=off");
    }

    private void createDatabase() throws SQLException {
        String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, USER, PASSWORD);
                Statement s = c.createStatement()) {
            boolean exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")
                    .next();
            if (!exists) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    private String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            return "\nserver log (last lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private String tool(String name) {
        return bin.resolve(name).toString();
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String database() {
        return DATABASE;
    }

    /** The server's directory (data and log). */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                stop("fast");
            } catch (IllegalStateException e) {
                log.warn("Stopping PostgreSQL at {}: {}", dir, e.getMessage());
            }
            Dirs.deleteRecursively(dir);
        }
    }

    private static boolean hasInitdb(Path bindir) {
        return Files.isExecutable(bindir.resolve("initdb")) && Files.isExecutable(bindir.resolve("pg_ctl"));
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? Optional.of(Path.of(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bindir) {
        try {
            return Integer.parseInt(bindir.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Builder of a {@link LocalPostgres}. */
    public static final class Builder {
        private Path bin;
        private Path dir;
        private int port;
        private String walLevel = "logical";

        private Builder() {}

        /** The directory of {@code initdb} and {@code pg_ctl} (default: {@link #findBinaries()}). */
        public Builder binaries(Path dir) {
            this.bin = dir;
            return this;
        }

        /** The server's directory (default: a fresh one under {@code -Dstatecast.test.dir} or the temp dir). */
        public Builder directory(Path dir) {
            this.dir = dir;
            return this;
        }

        /** The TCP port (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** {@code wal_level} (default {@code logical}; {@code replica} to test what capture says about it). */
        public Builder walLevel(String level) {
            this.walLevel = level;
            return this;
        }

        /**
         * The server, not started yet.
         *
         * @throws PostgresUnavailableException when the machine has no PostgreSQL binaries
         */
        public LocalPostgres build() {
            Path b = bin != null
                    ? bin
                    : findBinaries()
                            .orElseThrow(() -> new PostgresUnavailableException(
                                    "No PostgreSQL binaries (initdb, pg_ctl) found: install Debian's postgresql package"
                                            + " (apt-get install postgresql) or set " + BIN_ENV,
                                    null));
            try {
                Path root = Path.of(System.getProperty("statecast.test.dir", System.getProperty("java.io.tmpdir")));
                Files.createDirectories(root);
                Path d = dir != null ? dir : Files.createTempDirectory(root, "postgres-");
                int p = port > 0 ? port : FreePorts.take(1, 0).get(0);
                return new LocalPostgres(b, d, p, walLevel);
            } catch (IOException e) {
                throw new PostgresUnavailableException("Cannot create PostgreSQL's directory: " + e.getMessage(), e);
            }
        }
    }
}
