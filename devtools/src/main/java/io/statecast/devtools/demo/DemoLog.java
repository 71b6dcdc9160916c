package io.statecast.devtools.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where the demo's logs go while it runs: always to a file of the run directory, and to the console only
 * with {@code --verbose}, so that a terminal shows the status line, the waves and the summary alone.
 * Closing restores the console appenders and closes the file.
 */
final class DemoLog implements AutoCloseable {
    private final Logger root;
    private final FileAppender<ILoggingEvent> file;
    private final List<Appender<ILoggingEvent>> detached;

    private DemoLog(Logger root, FileAppender<ILoggingEvent> file, List<Appender<ILoggingEvent>> detached) {
        this.root = root;
        this.file = file;
        this.detached = detached;
    }

    /** Sends every log line to {@code path}; the console keeps them only when {@code verbose}. */
    static DemoLog to(Path path, boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return new DemoLog(null, null, List.of()); // another slf4j binding: left as it is
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        FileAppender<ILoggingEvent> file = fileAppender(ctx, path);
        root.addAppender(file);
        List<Appender<ILoggingEvent>> detached = new ArrayList<>();
        if (!verbose) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof ConsoleAppender) {
                    detached.add(a);
                }
            }
            detached.forEach(root::detachAppender);
        }
        return new DemoLog(root, file, detached);
    }

    private static FileAppender<ILoggingEvent> fileAppender(LoggerContext ctx, Path path) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(ctx);
        file.setName("statecast-demo-file");
        file.setFile(path.toString());
        file.setEncoder(encoder);
        file.start();
        return file;
    }

    @Override
    public void close() {
        if (root == null) {
            return;
        }
        detached.forEach(root::addAppender);
        root.detachAppender(file);
        file.stop();
    }
}
