package io.statecast.cli.commands;

import io.statecast.materializer.Main;
import io.statecast.materializer.MaterializerOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code statecast materialize}: the materializer in the foreground until SIGTERM, with the arguments of
 * its runnable jar ({@link MaterializerOptions}: one parser, one configuration loader).
 */
@Command(name = "materialize", mixinStandardHelpOptions = true, description = MaterializerOptions.DESCRIPTION)
public final class MaterializeCommand implements Callable<Integer> {
    @Mixin
    MaterializerOptions options;

    @Override
    public Integer call() throws InterruptedException {
        Main.run(options.config(System.getenv()));
        return 0;
    }
}
