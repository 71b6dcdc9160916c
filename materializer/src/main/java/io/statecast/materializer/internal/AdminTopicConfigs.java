package io.statecast.materializer.internal;

import io.statecast.common.StatecastException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;

/** Topic configs read through the materializer's admin client. */
public final class AdminTopicConfigs implements SizeLimits.TopicConfigs {
    private static final long TIMEOUT_S = 30;
    private final Admin admin;

    public AdminTopicConfigs(Admin admin) {
        this.admin = admin;
    }

    /** Every config of each topic (defaults included). */
    public Map<String, Config> describe(Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        try {
            Map<ConfigResource, Config> all =
                    admin.describeConfigs(resources).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<String, Config> out = new HashMap<>();
            all.forEach((r, c) -> out.put(r.name(), c));
            return out;
        } catch (ExecutionException e) {
            throw new StatecastException(
                    "Cannot read the configs of " + topics + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StatecastException("Cannot read the configs of " + topics + " within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatecastException("Interrupted reading the configs of " + topics, e);
        }
    }

    @Override
    public Map<String, Integer> maxMessageBytes(Collection<String> topics) {
        Map<String, Integer> out = new HashMap<>();
        describe(topics)
                .forEach((t, c) ->
                        out.put(t, Integer.parseInt(c.get("max.message.bytes").value())));
        return out;
    }
}
