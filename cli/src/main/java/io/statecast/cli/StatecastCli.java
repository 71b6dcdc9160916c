package io.statecast.cli;

import io.statecast.cli.commands.AuditCommand;
import io.statecast.cli.commands.CaptureCommand;
import io.statecast.cli.commands.MaterializeCommand;
import io.statecast.cli.commands.ProduceCommand;
import io.statecast.cli.commands.SimulateCommand;
import io.statecast.cli.commands.StatusCommand;
import io.statecast.cli.commands.TopicsCommand;
import io.statecast.cli.commands.WatchCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code statecast} command a user deploys ({@code cli/target/statecast.jar}). Each subcommand is
 * its own class; this is only their registry. The developer's commands ({@code demo}, {@code broker},
 * {@code bench}) are not here: they live in the devtools module, whose command line adds them to this one.
 *
 * <pre>
 * bin/statecast topics create --bootstrap-servers localhost:9092 --namespace k8s
 * </pre>
 */
@Command(
        name = "statecast",
        mixinStandardHelpOptions = true,
        version = "statecast 0.1.0",
        description = "One authoritative table of entity state, distributed over Kafka to verified local replicas.",
        footer = {
            "",
            "Developer tools, not in this jar: demo, broker, bench.",
            "bin/statecast runs them from devtools/target/statecast-dev.jar."
        },
        subcommands = {
            TopicsCommand.class,
            ProduceCommand.class,
            CaptureCommand.class,
            MaterializeCommand.class,
            WatchCommand.class,
            StatusCommand.class,
            AuditCommand.class,
            SimulateCommand.class,
        })
public final class StatecastCli implements Runnable {
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Show logs and, when a command fails, the stack trace.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its code. Output is UTF-8 (JSON is), whatever the locale. */
    public static void main(String[] args) {
        System.exit(executeInUtf8(commandLine(), args));
    }

    /** Runs {@code cl} on the process's stdout and stderr, written in UTF-8; returns the exit code. */
    public static int executeInUtf8(CommandLine cl, String... args) {
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        return cl.execute(args);
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line: a failure prints one line (the stack trace too with {@code --verbose}) and exits 1
     * for a failed check or operation, 2 for bad usage or configuration.
     */
    public static CommandLine commandLine() {
        StatecastCli root = new StatecastCli();
        CommandLine cl = new CommandLine(root);
        cl.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> Failures.report(e, commandLine.getErr(), root.verbose));
        cl.setParameterExceptionHandler(StatecastCli::usageError);
        return cl;
    }

    /** Whether {@code --verbose} was given (commands that log, such as the demo, ask). */
    public static boolean verbose(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof StatecastCli c && c.verbose;
    }

    // One line instead of picocli's message followed by the whole usage text.
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String suggestions = e instanceof CommandLine.UnmatchedArgumentException u
                        && !u.getSuggestions().isEmpty()
                ? " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)"
                : "";
        String name = cmd.getCommandSpec().qualifiedName();
        String message = e.getMessage().strip().replaceAll("\\.$", "");
        cmd.getErr().println(name + ": " + message + suggestions + "; see '" + name + " --help'");
        cmd.getErr().flush();
        return Failures.USAGE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
