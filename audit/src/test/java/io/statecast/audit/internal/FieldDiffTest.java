package io.statecast.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statecast.audit.FieldChange;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class FieldDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void namesEachChangedFieldByItsPathWithBothValues() throws Exception {
        JsonNode v1 = json("{\"name\":\"web-1\",\"node\":\"node-3\",\"labels\":{\"app\":\"web\"},"
                + "\"containers\":[{\"image\":\"nginx:1\"}],\"podIp\":null}");
        JsonNode v2 = json("{\"name\":\"web-1\",\"node\":\"node-9\",\"labels\":{\"app\":\"api\",\"tier\":\"1\"},"
                + "\"containers\":[{\"image\":\"nginx:2\"}],\"podIp\":\"10.0.0.7\"}");
        assertEquals(
                List.of(
                        "node: node-3 → node-9",
                        "labels.app: web → api",
                        "labels.tier: (absent) → 1",
                        "containers[0].image: nginx:1 → nginx:2",
                        "podIp: null → 10.0.0.7"),
                FieldDiff.between(v1, v2).stream().map(FieldChange::describe).toList());
    }

    @Test
    void comparesArraysOfAnotherLengthAndValuesOfAnotherTypeAsAWhole() throws Exception {
        assertEquals(
                List.of("ports: [80] → [80,443]", "restartCount: 1 → x"),
                FieldDiff.between(
                                json("{\"ports\":[80],\"restartCount\":1}"),
                                json("{\"ports\":[80,443],\"restartCount\":\"x\"}"))
                        .stream()
                        .map(FieldChange::describe)
                        .toList());
    }

    @Test
    void aFieldThatASchemaVersionAddedIsAChangeFromAbsent() throws Exception {
        assertEquals(
                List.of(new FieldChange("zone", null, F.textNode("eu-1"))),
                FieldDiff.between(json("{\"name\":\"n\"}"), json("{\"name\":\"n\",\"zone\":\"eu-1\"}")));
    }

    @Property(tries = 500)
    void applyingTheChangesToTheOldValueGivesTheNewOne(
            @ForAll("objects") JsonNode from, @ForAll("objects") JsonNode to) {
        List<FieldChange> changes = FieldDiff.between(from, to);
        assertEquals(to, apply(from.deepCopy(), changes), changes.toString());
        assertEquals(from.equals(to), changes.isEmpty());
        assertTrue(changes.stream()
                .allMatch(c -> c.from() == null ? c.to() != null : !c.from().equals(c.to())));
    }

    @Provide
    Arbitrary<JsonNode> objects() {
        return object(3);
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.of("x", "y").map(F::textNode),
                Arbitraries.integers().between(0, 2).map(F::numberNode),
                Arbitraries.just(F.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar),
                net.jqwik.api.Tuple.of(1, object(depth - 1)),
                net.jqwik.api.Tuple.of(1, array(depth - 1)));
    }

    private static Arbitrary<JsonNode> object(int depth) {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c"), value(depth))
                .ofMaxSize(3)
                .map(m -> {
                    ObjectNode o = F.objectNode();
                    m.forEach(o::set);
                    return o;
                });
    }

    private static Arbitrary<JsonNode> array(int depth) {
        return value(depth).list().ofMaxSize(2).map(l -> {
            ArrayNode a = F.arrayNode();
            l.forEach(a::add);
            return a;
        });
    }

    /** Sets (or removes, for an absent value) each changed path in {@code root}. */
    private static JsonNode apply(JsonNode root, List<FieldChange> changes) {
        for (FieldChange c : changes) {
            if (c.field().isEmpty()) {
                return c.to();
            }
            List<String> steps = steps(c.field());
            JsonNode parent = root;
            for (String step : steps.subList(0, steps.size() - 1)) {
                parent = step.startsWith("[") ? parent.get(index(step)) : parent.get(step);
            }
            set(parent, steps.get(steps.size() - 1), c.to());
        }
        return root;
    }

    private static void set(JsonNode parent, String step, JsonNode value) {
        if (step.startsWith("[")) {
            ((ArrayNode) parent).set(index(step), value);
        } else if (value == null) {
            ((ObjectNode) parent).remove(step);
        } else {
            ((ObjectNode) parent).set(step, value);
        }
    }

    private static int index(String step) {
        return Integer.parseInt(step.substring(1, step.length() - 1));
    }

    private static List<String> steps(String path) {
        Matcher m = STEP.matcher(path);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : "[" + m.group(2) + "]");
        }
        return out;
    }
}
