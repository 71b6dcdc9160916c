package io.statecast.materializer;

import io.statecast.common.ConfigurationException;
import io.statecast.common.StatecastException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The runnable jar: {@code java -jar statecast-materializer.jar --bootstrap-servers B --namespace NS
 * [--config FILE] [--http-port P] [--checksum-interval-ms MS] [-D key=value] [key=value ...]}, the same
 * arguments as {@code statecast materialize} ({@link MaterializerOptions}). Runs until SIGTERM, then shuts
 * down gracefully. A usage error or a refused configuration exits 2, any other failure 1, with one line.
 */
@Command(
        name = "statecast-materializer",
        mixinStandardHelpOptions = true,
        description = MaterializerOptions.DESCRIPTION)
public final class Main implements Callable<Integer> {
    @Mixin
    MaterializerOptions options;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with Statecast's errors printed as one line (exit code 2 for configuration, else 1). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof StatecastException) {
                commandLine.getErr().println("statecast-materializer: " + e.getMessage());
                // as the statecast command: 2 when the fix is in the configuration, 1 otherwise
                return e instanceof ConfigurationException ? 2 : 1;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public Integer call() throws InterruptedException {
        run(options.config(System.getenv()));
        return 0;
    }

    /**
     * Runs until the JVM is asked to stop (SIGTERM, Ctrl-C).
     *
     * @throws StatecastException when the materializer halts on a failure that would repeat (it says which)
     */
    public static void run(MaterializerConfig config) throws InterruptedException {
        Materializer m = new Materializer(config).start();
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            m.close(Duration.ofSeconds(30));
                            stopped.complete(null);
                        },
                        "statecast-materializer-shutdown"));
        System.out.println(
                "Materializer of namespace " + config.namespace() + " running; HTTP on port " + m.httpPort());
        Throwable failure;
        try {
            failure = (Throwable) CompletableFuture.anyOf(stopped, m.halted()).get();
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        if (failure != null) {
            m.close(Duration.ofSeconds(30));
            String why = "The materializer of namespace " + config.namespace() + " halted: " + failure.getMessage();
            throw failure instanceof ConfigurationException
                    ? new ConfigurationException(why, failure) // exit 2: the namespace must change, not the process
                    : new StatecastException(why, failure);
        }
    }
}
