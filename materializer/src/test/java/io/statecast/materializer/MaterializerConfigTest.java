package io.statecast.materializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.statecast.common.StatecastException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class MaterializerConfigTest {

    @Test
    void theReadmeTableListsEveryKeyWithItsCodeDefault() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("| `") && !line.startsWith("| `GET") && !line.startsWith("| `POST")) {
                String[] cells = line.split("\\|");
                documented.put(strip(cells[1]), strip(cells[2]));
            }
        }
        Map<String, String> code = new TreeMap<>();
        for (ConfigDef.ConfigKey k : MaterializerConfig.DEFINITION.configKeys().values()) {
            code.put(
                    k.name,
                    k.defaultValue == ConfigDef.NO_DEFAULT_VALUE ? "(required)" : String.valueOf(k.defaultValue));
        }
        assertEquals(code, documented);
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideTheEnvironment(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "namespace=from-file\nchecksum.interval.ms=5000\nnum.stream.threads=3\n");
        MaterializerConfig c = MaterializerConfig.load(
                file,
                Map.of("STATECAST_CHECKSUM_INTERVAL_MS", "2000"),
                Map.of(MaterializerConfig.NAMESPACE, "from-flag"));
        assertEquals("from-flag", c.namespace());
        assertEquals(2000L, c.getLong(MaterializerConfig.CHECKSUM_INTERVAL_MS));
        assertEquals("3", c.passThrough().get("num.stream.threads"));
        assertEquals("statecast-materializer-from-flag", c.applicationId());
    }

    @Test
    void anInvalidValueIsAClearError() {
        StatecastException e = assertThrows(
                StatecastException.class,
                () -> MaterializerConfig.load(null, Map.of(), Map.of("namespace", "k8s", "checksum.interval.ms", "5")));
        assertEquals(true, e.getMessage().contains("checksum.interval.ms"), e.getMessage());
    }

    private static String strip(String cell) {
        return cell.trim().replace("`", "");
    }
}
