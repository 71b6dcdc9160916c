package io.statecast.testkit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension behind {@link StatecastPostgresTest}: starts one PostgreSQL per JVM on first use (closed when
 * the test run ends) and injects it as a {@link PostgresServer} parameter. A server that cannot start skips the
 * test (a JUnit assumption, logged at WARN) or, with {@code CI} set, fails it.
 */
public final class SharedPostgresExtension implements ParameterResolver, BeforeEachCallback {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(SharedPostgresExtension.class);
    private static final Logger log = LoggerFactory.getLogger(SharedPostgresExtension.class);

    // Skipping (or failing) happens here, before any parameter is resolved: JUnit reports the test as skipped.
    @Override
    public void beforeEach(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The JVM-wide server; skips (or, under CI, fails) the calling test when there is none. */
    public static PostgresServer server(ExtensionContext context) {
        Holder h = context.getRoot().getStore(NS).getOrComputeIfAbsent(Holder.class, k -> Holder.start(), Holder.class);
        if (h.server == null) {
            if (System.getenv("CI") != null) {
                throw h.failure;
            }
            log.warn("Skipping {}: no PostgreSQL: {}", context.getDisplayName(), h.failure.getMessage());
            Assumptions.abort("no PostgreSQL: " + h.failure.getMessage());
        }
        return h.server;
    }

    /** The started server, or why there is none; closed by JUnit with the root store. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final PostgresServer server;
        private final PostgresUnavailableException failure;

        private Holder(PostgresServer server, PostgresUnavailableException failure) {
            this.server = server;
            this.failure = failure;
        }

        static Holder start() {
            try {
                return new Holder(Postgres.start(), null);
            } catch (PostgresUnavailableException e) {
                return new Holder(null, e);
            }
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
