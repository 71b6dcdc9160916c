package io.statecast.cli;

import io.statecast.cli.commands.AuditCommand;
import io.statecast.cli.commands.BenchCommand;
import io.statecast.cli.commands.BrokerCommand;
import io.statecast.cli.commands.DemoCommand;
import io.statecast.cli.commands.MaterializeCommand;
import io.statecast.cli.commands.ProduceCommand;
import io.statecast.cli.commands.SimulateCommand;
import io.statecast.cli.commands.TopicsCommand;
import io.statecast.cli.commands.WatchCommand;
import io.statecast.common.StatecastException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code statecast} command. Each subcommand is its own class; this is only their registry.
 *
 * <pre>
 * bin/statecast broker --port 9092 --data-dir ./.statecast/broker
 * </pre>
 */
@Command(
        name = "statecast",
        mixinStandardHelpOptions = true,
        version = "statecast 0.1.0",
        description = "One authoritative table of entity state, distributed over Kafka to verified local replicas.",
        subcommands = {
            DemoCommand.class,
            BrokerCommand.class,
            TopicsCommand.class,
            ProduceCommand.class,
            MaterializeCommand.class,
            WatchCommand.class,
            AuditCommand.class,
            SimulateCommand.class,
            BenchCommand.class,
        })
public final class StatecastCli implements Runnable {

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, with Statecast's errors printed as one clear line and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StatecastCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof StatecastException) {
                commandLine.getErr().println("statecast: " + e.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
