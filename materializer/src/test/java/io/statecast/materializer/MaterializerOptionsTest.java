package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class MaterializerOptionsTest {

    private static MaterializerOptions parse(String... args) {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main.options;
    }

    @Test
    void flagsOverrideTheEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "namespace=from-file\nhttp.port=1\nmax.payload.bytes=7\nnum.stream.threads=3\n");
        MaterializerConfig c = parse(
                        "--config",
                        file.toString(),
                        "--namespace",
                        "k8s",
                        "--bootstrap-servers",
                        "b:9092",
                        "--checksum-interval-ms",
                        "500",
                        "-D",
                        "max.payload.bytes=9",
                        "http.host=materializer-1")
                .config(Map.of("STATECAST_HTTP_PORT", "2", "STATECAST_MAX_PAYLOAD_BYTES", "8"));
        assertEquals("k8s", c.namespace());
        assertEquals("b:9092", c.getString(MaterializerConfig.BOOTSTRAP_SERVERS));
        assertEquals(500L, c.getLong(MaterializerConfig.CHECKSUM_INTERVAL_MS));
        assertEquals(2, c.getInt(MaterializerConfig.HTTP_PORT)); // environment over file
        assertEquals(9, c.getInt(MaterializerConfig.MAX_PAYLOAD_BYTES)); // -D over environment
        assertEquals("materializer-1", c.getString(MaterializerConfig.HTTP_HOST)); // positional key=value
        assertEquals("3", c.passThrough().get("num.stream.threads"));
    }

    @Test
    void aNamedFlagWinsOverTheSameKeyGivenAsASetting() {
        MaterializerConfig c = parse("--http-port", "0", "-D", "http.port=5", "http.port=6", "namespace=n")
                .config(Map.of());
        assertEquals(0, c.getInt(MaterializerConfig.HTTP_PORT));
        assertEquals("n", c.namespace());
    }

    @Test
    void usageAndConfigurationErrorsExit2WithOneLine() {
        assertEquals(2, run("--no-such-flag").exit);
        Run notASetting = run("--namespace", "k8s", "oops");
        assertEquals(2, notASetting.exit);
        assertTrue(notASetting.err.contains("expected key=value, got 'oops'"), notASetting.err);
        Run invalid = run("--namespace", "k8s", "--checksum-interval-ms", "5");
        assertEquals(2, invalid.exit);
        assertTrue(
                invalid.err.startsWith("statecast-materializer: Invalid materializer configuration")
                        && invalid.err.contains("checksum.interval.ms")
                        && !invalid.err.contains("\tat "),
                invalid.err);
    }

    @Test
    void theDefaultsTheFlagsMentionAreTheConfigDefinitionsDefaults() {
        Map<String, String> keys = Map.of(
                "--bootstrap-servers", MaterializerConfig.BOOTSTRAP_SERVERS,
                "--http-port", MaterializerConfig.HTTP_PORT,
                "--checksum-interval-ms", MaterializerConfig.CHECKSUM_INTERVAL_MS);
        Pattern mentioned = Pattern.compile("\\(default: ([^)]+)\\)");
        for (OptionSpec o : new CommandLine(new Main()).getCommandSpec().options()) {
            Matcher m = mentioned.matcher(String.join(" ", o.description()));
            if (m.find()) {
                ConfigDef.ConfigKey key =
                        MaterializerConfig.DEFINITION.configKeys().get(keys.get(o.longestName()));
                assertEquals(String.valueOf(key.defaultValue), m.group(1), o.longestName());
            }
        }
    }

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }
}
