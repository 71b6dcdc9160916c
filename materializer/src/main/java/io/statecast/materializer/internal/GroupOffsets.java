package io.statecast.materializer.internal;

import io.statecast.common.StatecastException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/** The offsets a consumer group (the materializer's {@code application.id}) committed. */
final class GroupOffsets {
    private GroupOffsets() {}

    /** Committed offset per partition; partitions without one are absent. */
    static Map<TopicPartition, Long> committed(Admin admin, String groupId) {
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .forEach((tp, o) -> {
                        if (o != null) {
                            out.put(tp, o.offset());
                        }
                    });
            return out;
        } catch (ExecutionException e) {
            throw new StatecastException(
                    "Cannot read the offsets of group " + groupId + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted reading the offsets of group " + groupId, e);
        }
    }
}
