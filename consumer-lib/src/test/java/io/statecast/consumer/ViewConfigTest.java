package io.statecast.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.common.StatecastException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewConfigTest {
    private static final Map<String, Object> MINIMAL = Map.of("namespace", "k8s", "bootstrap.servers", "b:9092");

    @Test
    void theReadmeTableListsEveryKeyWithItsCodeDefaultAndMeaning() throws IOException {
        Map<String, List<String>> documented = new TreeMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.equals("| key | default | meaning |")) {
                inTable = true;
            } else if (inTable && line.startsWith("| `")) {
                String[] cells = line.split(" \\| ");
                String meaning = cells[2].substring(0, cells[2].lastIndexOf('|'));
                documented.put(strip(cells[0].substring(1)), List.of(strip(cells[1]), strip(meaning)));
            } else if (inTable && !line.startsWith("|")) {
                inTable = false;
            }
        }
        Map<String, List<String>> code = new TreeMap<>();
        for (ConfigDef.ConfigKey k : ViewConfig.DEFINITION.configKeys().values()) {
            code.put(k.name, List.of(shown(k.defaultValue), k.documentation));
        }
        assertEquals(code, documented);
    }

    @Test
    void defaultsAreThoseOfTheDefinition() {
        ViewConfig c = new ViewConfig(MINIMAL);
        assertEquals(ReadPolicy.BLOCK, c.readPolicy());
        assertEquals(Duration.ofSeconds(30), c.readTimeout());
        assertEquals(Duration.ofSeconds(1), c.brokerCheckInterval());
        assertEquals(Duration.ofSeconds(5), c.topicCheckInterval());
        assertTrue(c.verification());
        assertEquals(4096, c.historyCapacity());
        assertNull(c.snapshotDir());
        assertEquals(Duration.ofMinutes(5), c.snapshotInterval());
        assertEquals(Duration.ZERO, c.startupSplay());
        assertNull(c.startupSplaySeed());
        assertEquals(10_000, c.listenerQueueCapacity());
        assertEquals(OverflowPolicy.DROP_AND_RESET, c.listenerOverflowPolicy());
        assertEquals(Set.of(), c.partitions());
    }

    @Test
    void theEnvironmentOverridesTheFileAndOverridesTheEnvironmentAndOtherKeysPassThrough(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("view.properties");
        Files.writeString(
                file,
                "namespace=from-file\nbootstrap.servers=file:9092\nsnapshot.dir=/tmp/a\n"
                        + "read.timeout.ms=1000\nclient.rack=az1\npartitions=0, 2\n");
        ViewConfig c = ViewConfig.load(
                file,
                Map.of("STATECAST_SNAPSHOT_DIR", "/tmp/b", "STATECAST_READ_TIMEOUT_MS", "2000", "UNRELATED", "x"),
                Map.of("namespace", "from-flag", "read.timeout.ms", 3000L));
        assertEquals("from-flag", c.namespace());
        assertEquals(Path.of("/tmp/b"), c.snapshotDir(), "the environment over the file");
        assertEquals(Duration.ofSeconds(3), c.readTimeout(), "overrides over the environment");
        assertEquals(Set.of(0, 2), c.partitions());
        assertEquals(
                Map.of("bootstrap.servers", "file:9092", "client.rack", "az1", "enable.metrics.push", false),
                c.consumerProperties(),
                "the consumer gets bootstrap.servers and every key that is not the view's, untouched, and no "
                        + "metrics push unless asked");
    }

    @Test
    void anInvalidValueIsAClearErrorNamingTheKey() {
        for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(
                Map.entry("read.policy", "SOMETIMES"),
                Map.entry("partitions", "0,x"),
                Map.entry("partitions", "-1"),
                Map.entry("verification.history.capacity", 0),
                Map.entry("listener.overflow.policy", "DROP_ALL"),
                Map.entry("namespace", "no spaces"))) {
            Map<String, Object> props = new TreeMap<>(MINIMAL);
            props.put(bad.getKey(), bad.getValue());
            StatecastException e = assertThrows(StatecastException.class, () -> ViewConfig.load(null, Map.of(), props));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    @Test
    void exactlyOneOfNamespaceAndTopicIsRequired() {
        StatecastException neither =
                assertThrows(StatecastException.class, () -> ViewConfig.parse(Map.of("bootstrap.servers", "b:9092")));
        assertTrue(neither.getMessage().contains("exactly one of namespace or topic"), neither.getMessage());
        Map<String, Object> both = new TreeMap<>(MINIMAL);
        both.put("topic", "plain");
        assertThrows(StatecastException.class, () -> ViewConfig.parse(both));
        assertEquals(
                "plain",
                ViewConfig.parse(Map.of("topic", "plain", "bootstrap.servers", "b"))
                        .topic());
    }

    @Test
    void everyKeyHasADocAndAnEnvironmentName() {
        List<String> envNames = new ArrayList<>();
        for (ConfigDef.ConfigKey k : ViewConfig.DEFINITION.configKeys().values()) {
            assertTrue(k.documentation != null && !k.documentation.isBlank(), k.name);
            envNames.add(ViewConfig.envName(k.name));
        }
        assertTrue(envNames.contains("STATECAST_VERIFICATION_HISTORY_CAPACITY"), envNames.toString());
        assertEquals(envNames.size(), Set.copyOf(envNames).size(), "no two keys share a variable");
    }

    private static String shown(Object defaultValue) {
        if (defaultValue == ConfigDef.NO_DEFAULT_VALUE) {
            return "(required)";
        }
        if (defaultValue == null) {
            return "(none)";
        }
        if (defaultValue instanceof List<?> l) {
            return l.isEmpty()
                    ? "(empty)"
                    : String.join(",", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(defaultValue);
    }

    private static String strip(String cell) {
        return cell.trim().replace("`", "");
    }
}
