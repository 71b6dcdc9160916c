package io.statecast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statecast.bench.internal.Report;
import io.statecast.bench.internal.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsTest {

    @Test
    void medianMinMaxOfOddAndEvenCounts() {
        assertEquals(new Stats(2.0, 1.0, 9.0, 3), Stats.of(List.of(9.0, 1.0, 2.0)));
        assertEquals(new Stats(2.5, 1.0, 9.0, 4), Stats.of(List.of(9.0, 1.0, 2.0, 3.0)));
    }

    @Test
    void theReportWritesJsonAndMarkdownWithEveryFigure(@TempDir Path dir) throws Exception {
        Report r = new Report("statecast bench --quick");
        r.add("bootstrap", "raw consumer", "time to end", "s", List.of(1.0, 2.0, 3.0));
        r.note("a target was missed by 10%");
        r.write(dir);
        String md = Files.readString(dir.resolve("benchmarks.md"));
        assertTrue(md.contains("| bootstrap | raw consumer | time to end | 2.000 | 1.000 | 3.000 | 3 | s |"), md);
        assertTrue(md.contains("a target was missed by 10%") && md.contains("statecast bench --quick"), md);
        assertTrue(Files.readString(dir.resolve("benchmarks.json")).contains("\"contender\" : \"raw consumer\""));
    }
}
