package io.statecast.devtools;

import io.statecast.cli.StatecastCli;
import io.statecast.devtools.commands.BenchCommand;
import io.statecast.devtools.commands.BrokerCommand;
import io.statecast.devtools.commands.DemoCommand;
import picocli.CommandLine;

/**
 * The developer's {@code statecast} command ({@code devtools/target/statecast-dev.jar}): every command of
 * the deployable {@link StatecastCli} plus {@code demo}, {@code broker} and {@code bench}, which carry an
 * embedded Kafka broker, the benchmarks and their peers and so are never deployed.
 *
 * <pre>
 * bin/statecast demo
 * bin/statecast broker --port 9092 --data-dir ./.statecast/broker
 * bin/statecast bench bootstrap --quick
 * </pre>
 */
public final class StatecastDevCli {
    private StatecastDevCli() {}

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(StatecastCli.executeInUtf8(commandLine(), args));
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The deployable command line (its failure and usage handling, {@code --verbose}) with the developer's commands added. */
    public static CommandLine commandLine() {
        CommandLine cl = StatecastCli.commandLine()
                .addSubcommand(new DemoCommand())
                .addSubcommand(new BrokerCommand())
                .addSubcommand(new BenchCommand());
        // picocli applies handlers to the subcommands present when they are set: set them again for the added ones.
        cl.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        cl.setParameterExceptionHandler(cl.getParameterExceptionHandler());
        cl.getCommandSpec().usageMessage().footer(new String[0]);
        return cl;
    }
}
