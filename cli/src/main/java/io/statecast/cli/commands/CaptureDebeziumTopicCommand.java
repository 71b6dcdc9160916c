package io.statecast.cli.commands;

import io.statecast.capture.CaptureException;
import io.statecast.capture.DebeziumTopicCapture;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code statecast capture debezium-topic}: an existing Debezium topic (JSON converter with schemas). */
@Command(
        name = "debezium-topic",
        mixinStandardHelpOptions = true,
        description =
                "Feed <ns>.changes from an existing Debezium topic written by a Kafka Connect cluster (JSON converter with schemas), read once in the consumer group statecast-capture-<ns>-<topic> whose offsets commit with the changes. Runs until Ctrl-C/SIGTERM.")
public final class CaptureDebeziumTopicCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, description = "The Debezium topic, e.g. dbserver1.public.pods.")
    String topic;

    @Option(names = "--namespace", required = true, description = "Namespace whose <ns>.changes the rows go to.")
    String namespace;

    @Option(names = "--key", required = true, split = ",", description = "Key column(s), COL[,COL...].")
    List<String> key;

    @Option(names = "--value-schema", description = "Avro schema (.avsc) the columns are mapped onto by name.")
    Path valueSchema;

    @Override
    public Integer call() {
        DebeziumTopicCapture capture;
        try {
            DebeziumTopicCapture.Builder b = DebeziumTopicCapture.builder()
                    .topic(topic)
                    .namespace(namespace)
                    .key(key)
                    .kafka(kafka.kafka());
            if (valueSchema != null) {
                b.valueSchema(CapturePostgresCommand.parse(valueSchema));
            }
            capture = b.build();
        } catch (CaptureException e) {
            spec.commandLine().getErr().println("statecast: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        return CaptureRun.run(capture, spec.commandLine().getErr(), "capture of " + topic);
    }
}
