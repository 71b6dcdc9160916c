package io.statecast.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.statecast.common.Namespace;
import io.statecast.consumer.StateView;
import io.statecast.producer.TopicOptions;
import io.statecast.producer.TopicProvisioner;
import io.statecast.schemas.demo.Pod;
import io.statecast.testkit.KafkaFixture;
import io.statecast.testkit.StatecastKafkaTest;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A closed view that its user still references lets go of its Kafka consumer (the largest thing it held). */
@StatecastKafkaTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ViewEngineCloseIT {

    @Test
    void aClosedViewHoldsNoConsumer(KafkaFixture kafka) throws ReflectiveOperationException {
        Namespace ns = Namespace.of(kafka.newNamespace());
        try (TopicProvisioner p = new TopicProvisioner(kafka.clientConfig())) {
            p.create(ns, TopicOptions.defaults().withPartitions(2));
        }
        StateView<Pod> view = StateView.builder(Pod.class)
                .namespace(ns.name())
                .kafka(kafka.clientConfig())
                .build();
        view.start().awaitReady(Duration.ofSeconds(30));
        ViewEngine<?> engine = ViewAccess.engineOf(view);
        assertNotNull(consumerOf(engine), "the consumer of a running view");

        view.close();

        assertNull(consumerOf(engine), "the consumer that a closed view still references");
    }

    private static Object consumerOf(ViewEngine<?> engine) throws ReflectiveOperationException {
        Field f = ViewEngine.class.getDeclaredField("consumer");
        f.setAccessible(true);
        return f.get(engine);
    }
}
