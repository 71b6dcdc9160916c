package io.statecast.testkit;

import java.util.Map;
import java.util.Objects;

/** A SCRAM-SHA-512 principal of a secured embedded cluster. */
public record ScramUser(String name, String password) {
    public ScramUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
    }

    /** The client settings that authenticate as this user over SASL_PLAINTEXT. */
    public Map<String, Object> clientConfig() {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required" + " username=\"" + name
                                + "\" password=\"" + password + "\";");
    }

    @Override
    public String toString() {
        return "ScramUser[" + name + "]"; // never the password
    }
}
