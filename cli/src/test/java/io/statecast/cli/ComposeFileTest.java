package io.statecast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** compose/docker-compose.yml is valid for docker-compose (Debian's package; no engine needed for `config`). */
class ComposeFileTest {

    @Test
    void theComposeFileValidates() throws Exception {
        Path file = Path.of("..", "compose", "docker-compose.yml");
        assertTrue(Files.exists(file), "compose file at " + file.toAbsolutePath());
        boolean present = Files.isExecutable(Path.of("/usr/bin/docker-compose"))
                || Files.isExecutable(Path.of("/usr/local/bin/docker-compose"));
        Assumptions.assumeTrue(present, "docker-compose is not installed (.ci/run installs it)");
        Process p = new ProcessBuilder("docker-compose", "-f", file.toString(), "config", "--quiet")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
