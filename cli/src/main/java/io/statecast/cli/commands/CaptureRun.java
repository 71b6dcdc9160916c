package io.statecast.cli.commands;

import io.statecast.capture.Capture;
import io.statecast.capture.CaptureException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** What both capture commands share: the password file, running until SIGTERM, and the exit codes. */
final class CaptureRun {
    private CaptureRun() {}

    /** Starts {@code capture}, runs it until SIGTERM (exit 0) or a failure (exit 1; 2 for a setting to fix). */
    static int run(Capture capture, PrintWriter err, String what) {
        AtomicBoolean running = new AtomicBoolean();
        Thread hook = new Thread(() -> stop(capture, running), "statecast-capture-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            capture.start();
            running.set(true);
            err.println(what + " started; Ctrl-C or SIGTERM stops it");
            err.flush();
            capture.join();
            return 0;
        } catch (CaptureException e) {
            running.set(false);
            capture.close();
            err.println("statecast: " + e.getMessage());
            err.flush();
            return e.misconfigured() ? 2 : 1;
        } finally {
            removeHook(hook);
        }
    }

    // On Ctrl-C/SIGTERM: the open Kafka transaction commits or aborts, and a clean stop is a success (not 143).
    private static void stop(Capture capture, AtomicBoolean running) {
        boolean was = running.getAndSet(false);
        capture.close();
        if (was) {
            Runtime.getRuntime().halt(0);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs
        }
    }

    /** The first line of the password file, or a configuration error (exit 2) naming it. */
    static String password(Path file) {
        if (file == null) {
            return "";
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).strip();
        } catch (IOException e) {
            throw CaptureException.config("cannot read --password-file " + file + ": " + e.getMessage());
        }
    }
}
