package io.statecast.cli;

import io.statecast.audit.InvalidPointException;
import io.statecast.audit.NamespaceNotFoundException;
import io.statecast.common.ConfigurationException;
import io.statecast.common.StatecastException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;

/**
 * What a failed command prints: one line on stderr, {@code statecast: what happened; how to fix it}, and
 * its exit code — {@value #FAILED} for a failed check or operation, {@value #USAGE} for bad usage or
 * configuration. The stack trace only with {@code --verbose}.
 */
final class Failures {
    /** Exit code of a failed check or operation. */
    static final int FAILED = 1;
    /** Exit code of bad usage or configuration. */
    static final int USAGE = 2;

    private static final List<Class<? extends Throwable>> CONFIGURATION = List.of(
            ConfigurationException.class,
            NamespaceNotFoundException.class,
            InvalidPointException.class,
            SchemaParseException.class,
            NoSuchFileException.class,
            AccessDeniedException.class,
            ConfigException.class,
            AuthenticationException.class,
            AuthorizationException.class,
            CommandLine.ParameterException.class);

    private Failures() {}

    /** Prints {@code failure} as one line (after its stack trace when {@code verbose}); returns the exit code. */
    static int report(Throwable failure, PrintWriter err, boolean verbose) {
        Throwable t = unwrap(failure);
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.println("statecast: " + describe(t) + (verbose || t instanceof StatecastException ? "" : hint(t)));
        err.flush();
        return exitCode(t);
    }

    /** {@value #USAGE} when the fix is in the flags, files or configuration, else {@value #FAILED}. */
    static int exitCode(Throwable failure) {
        Throwable t = unwrap(failure);
        return CONFIGURATION.stream().anyMatch(c -> c.isInstance(t)) ? USAGE : FAILED;
    }

    /** What happened, in one line, with the fix where it is known. */
    static String describe(Throwable t) {
        String message = oneLine(t.getMessage());
        if (t instanceof StatecastException || t instanceof CommandLine.ParameterException) {
            return message;
        }
        if (t instanceof NoSuchFileException) {
            return "no such file: " + message;
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + message;
        }
        if (t instanceof TimeoutException) {
            return "Kafka did not answer in time (" + message + "); check --bootstrap-servers and that the"
                    + " brokers are up";
        }
        if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
            return "Kafka refused the client: " + message + "; check the security settings of --config";
        }
        if (t instanceof ConfigException) {
            return "invalid Kafka client configuration: " + message + "; check --bootstrap-servers and --config";
        }
        if (t instanceof SchemaParseException) {
            return "invalid Avro schema: " + message;
        }
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static String hint(Throwable t) {
        return t instanceof KafkaException || t instanceof IOException ? "" : " (--verbose shows the stack trace)";
    }

    /** The exception that says what happened, under the wrappers of futures and unchecked I/O. */
    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException
                        || cur instanceof ExecutionException
                        || cur instanceof UncheckedIOException
                        || cur instanceof CommandLine.ExecutionException
                        // "Failed to create new KafkaAdminClient": the cause (e.g. no resolvable bootstrap urls) says
                        // why
                        || (cur.getClass() == KafkaException.class && cur.getCause() instanceof KafkaException))
                && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
