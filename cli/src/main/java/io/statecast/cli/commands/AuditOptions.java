package io.statecast.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statecast.audit.Auditor;
import io.statecast.audit.InvalidPointException;
import io.statecast.audit.PointInTime;
import io.statecast.common.Namespace;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every {@code audit} subcommand shares: Kafka options, --namespace, --json, output and progress. */
abstract class AuditOptions {
    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--namespace", required = true, description = "Namespace to audit.")
    String namespace;

    @Option(names = "--json", description = "One JSON document on stdout, for scripts.")
    boolean json;

    /** An auditor that reports progress on stderr when a terminal is attached, and stays quiet otherwise. */
    Auditor auditor() {
        kafka.requireTopics(); // a clear error when the brokers do not answer, before the replay's clients start
        Auditor a = new Auditor(kafka.kafka(), Namespace.of(namespace));
        if (System.console() != null) {
            a.onProgress((topic, pct) -> {
                err().printf("\rreading %s: %3.0f%%%s", topic, pct, pct >= 100 ? "\n" : "");
                err().flush();
            });
        }
        return a;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints the replay's caveat on stderr (so stdout stays clean for scripts). */
    void caveat(String caveat) {
        if (caveat != null) {
            err().println("caveat: " + caveat);
            err().flush();
        }
    }

    void printJson(Object tree) {
        try {
            out().println(JSON.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a point (ISO-8601 time or P:O,…); a malformed one is a usage error (exit 2). */
    PointInTime point(String spec, String option) {
        try {
            return PointInTime.parse(spec);
        } catch (InvalidPointException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Runs {@code body}, turning a point that names a missing partition into a usage error. */
    int run(java.util.concurrent.Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (InvalidPointException e) {
            throw usage(e.getMessage());
        } finally {
            out().flush();
            err().flush();
        }
    }
}
