package io.statecast.testkit.internal;

import io.statecast.testkit.SecuritySetup;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * {@code kafka-storage format} for one node's log directory, with the production metadata version and
 * feature levels. A directory that holds a {@code meta.properties} already is left as it is, so that a
 * restart keeps its data.
 */
public final class Storage {
    private Storage() {}

    /** Formats {@code data} for node {@code id} of cluster {@code clusterId} unless it is formatted already. */
    public static void formatIfNew(int id, Path data, String clusterId, SecuritySetup security) {
        if (Files.exists(data.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(data);
            Formatter f = new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setUnstableFeatureVersionsEnabled(false)
                    .setNodeId(id)
                    .setClusterId(clusterId)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(data.toString())
                    .setDirectories(List.of(data.toString()))
                    .setIgnoreFormatted(true);
            if (security != null) {
                f.setScramArguments(security.scramArguments());
            }
            f.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka node " + id + " in " + data, e);
        }
    }
}
