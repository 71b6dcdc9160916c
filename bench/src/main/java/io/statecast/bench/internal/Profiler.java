package io.statecast.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import one.profiler.AsyncProfiler;

/**
 * CPU flame graphs of chosen contenders ({@code bench --profile DIR}): async-profiler (its Maven Central jar
 * carries the native agent) samples every thread of this JVM, the embedded broker's included, while a
 * contender's measured repetitions run; each contender's samples add up across repetitions into
 * {@code DIR/<name>.html} (and {@code .collapsed.txt}). Without a directory every call does nothing, so a normal run is not slowed.
 */
public final class Profiler {
    private static final String EVENT = "event=cpu,interval=1ms,threads";
    private final Path dir;
    private String current;

    private Profiler(Path dir) {
        this.dir = dir;
    }

    /** A profiler writing into {@code dir}, or one that does nothing when {@code dir} is null. */
    public static Profiler into(Path dir) {
        return new Profiler(dir);
    }

    /** Whether profiles are written. */
    public boolean enabled() {
        return dir != null;
    }

    /** Starts (or resumes) sampling for {@code name}; samples of other names are never mixed in. */
    public void start(String name) {
        if (dir == null) {
            return;
        }
        if (current != null && !current.equals(name)) {
            throw new IllegalStateException("profiling " + current + ", asked for " + name);
        }
        // a new name starts from zero; the same name again (after stop, before finish) accumulates
        execute((current == null ? "start," : "resume,") + EVENT);
        current = name;
    }

    /** Stops sampling; the samples of {@code current} so far are written to its file. */
    public void stop() {
        if (dir == null || current == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String file = fileName(current);
        execute("stop,file=" + dir.resolve(file + ".html") + ",title=" + current.replace(',', ' '));
        // the same samples as text, one collapsed stack per line (what a summary or a diff reads)
        execute("dump,collapsed,file=" + dir.resolve(file + ".collapsed.txt"));
    }

    /** Ends the current name: the next {@link #start} begins a new flame graph. */
    public void finish() {
        stop();
        current = null;
    }

    static String fileName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
    }

    private static void execute(String command) {
        try {
            AsyncProfiler.getInstance().execute(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
