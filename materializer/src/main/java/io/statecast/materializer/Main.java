package io.statecast.materializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable jar: {@code java -jar statecast-materializer.jar --bootstrap-servers B --namespace NS
 * [--config FILE] [--http-port P] [key=value ...]}. Runs until SIGTERM, then shuts down gracefully.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Path file = null;
        Map<String, Object> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config":
                    file = Path.of(args[++i]);
                    break;
                case "--bootstrap-servers":
                    overrides.put(MaterializerConfig.BOOTSTRAP_SERVERS, args[++i]);
                    break;
                case "--namespace":
                    overrides.put(MaterializerConfig.NAMESPACE, args[++i]);
                    break;
                case "--http-port":
                    overrides.put(MaterializerConfig.HTTP_PORT, args[++i]);
                    break;
                default:
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        System.err.println(
                                "usage: --bootstrap-servers B --namespace NS [--config FILE] [--http-port P] [key=value ...]");
                        System.exit(2);
                    }
                    overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        }
        run(MaterializerConfig.load(file, System.getenv(), overrides));
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public static void run(MaterializerConfig config) throws InterruptedException {
        Materializer m = new Materializer(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            m.close(Duration.ofSeconds(30));
                            stopped.countDown();
                        },
                        "statecast-materializer-shutdown"));
        System.out.println(
                "Materializer of namespace " + config.namespace() + " running; HTTP on port " + m.httpPort());
        stopped.await();
    }
}
