package io.statecast.devtools;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the developer's command line in this JVM and captures what it printed. */
final class DevCli {
    record Run(int exit, String out, String err) {}

    private DevCli() {}

    static Run run(String... args) {
        CommandLine cl = StatecastDevCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
