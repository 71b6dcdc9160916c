package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.audit.NamespaceNotFoundException;
import io.statecast.common.ConfigurationException;
import io.statecast.common.StatecastException;
import io.statecast.common.kafka.MissingTopicException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    static String report(Throwable t, boolean verbose, int expectedExit) {
        StringWriter err = new StringWriter();
        assertEquals(expectedExit, Failures.report(t, new PrintWriter(err), verbose), String.valueOf(t));
        return err.toString();
    }

    @Test
    void aFailedOperationIsOneLineWithExitCodeOne() {
        String line = report(new StatecastException("Cannot send: the broker said no"), false, 1);
        assertEquals("statecast: Cannot send: the broker said no" + System.lineSeparator(), line);
    }

    @Test
    void configurationAndUsageErrorsExitWithTwo() {
        for (Throwable t : List.of(
                new ConfigurationException("bad flag"),
                new MissingTopicException("k8s.state"),
                new NamespaceNotFoundException("k8s", "k8s.state", List.of()),
                new UncheckedIOException(new NoSuchFileException("pods.ndjson")),
                new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"),
                new KafkaException("Failed to create new KafkaAdminClient", new ConfigException("no urls")),
                new SaslAuthenticationException("Authentication failed: Invalid username or password"))) {
            assertEquals(2, Failures.exitCode(t), t.toString());
        }
        assertEquals(
                "statecast: no such file: pods.ndjson" + System.lineSeparator(),
                report(new UncheckedIOException(new NoSuchFileException("pods.ndjson")), false, 2));
    }

    @Test
    void anUnexpectedErrorIsOneLineNamingItsTypeAndTheVerboseFlag() {
        String line = report(new CompletionException(new IllegalStateException("boom\n  second line")), false, 1);
        assertEquals(
                "statecast: IllegalStateException: boom second line (--verbose shows the stack trace)"
                        + System.lineSeparator(),
                line);
    }

    @Test
    void aKafkaTimeoutSaysWhatToCheck() {
        String line = report(new TimeoutException("Timed out waiting for a node assignment."), false, 1);
        assertTrue(line.contains("check --bootstrap-servers and that the brokers are up"), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void verbosePrintsTheStackTraceBeforeTheLine() {
        String out = report(new IllegalStateException("boom"), true, 1);
        assertTrue(out.contains("\tat io.statecast.cli.FailuresTest"), out);
        assertTrue(out.endsWith("statecast: IllegalStateException: boom" + System.lineSeparator()), out);
    }

    @Test
    void aUsageErrorIsOneLineNamingTheHelpInsteadOfTheWholeUsage() {
        StringWriter err = new StringWriter();
        var cl = StatecastCli.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("watch", "--namespace", "k8s", "--bogus"));
        assertEquals(
                "statecast watch: Unknown option: '--bogus' (did you mean --bootstrap-servers?);"
                        + " see 'statecast watch --help'",
                err.toString().strip());
        assertFalse(err.toString().contains("Usage:"), err.toString());
    }
}
