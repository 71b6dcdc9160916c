package io.statecast.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A secured client listener for {@link EmbeddedKafkaCluster}: SASL_PLAINTEXT with SCRAM-SHA-512, the
 * KRaft {@code StandardAuthorizer}, a super user the brokers and the fixture use, and further users
 * created when the cluster is formatted. ACLs are then granted with {@code Admin.createAcls}.
 */
public final class SecuritySetup {
    private final ScramUser superUser;
    private final Map<String, ScramUser> users = new LinkedHashMap<>();

    private SecuritySetup(ScramUser superUser) {
        this.superUser = superUser;
        users.put(superUser.name(), superUser);
    }

    /** SCRAM with the given super user (the brokers talk to each other as this user). */
    public static SecuritySetup scram(ScramUser superUser) {
        return new SecuritySetup(superUser);
    }

    /** Adds a user that exists from the first start. */
    public SecuritySetup user(ScramUser user) {
        users.put(user.name(), user);
        return this;
    }

    public ScramUser superUser() {
        return superUser;
    }

    /** Formatter arguments that create every user's SCRAM credentials. */
    public List<String> scramArguments() {
        List<String> args = new ArrayList<>();
        users.values().forEach(u -> args.add("SCRAM-SHA-512=[name=" + u.name() + ",password=" + u.password() + "]"));
        return args;
    }

    /** Broker settings of the secured listener. */
    public Map<String, String> brokerConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        c.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        c.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", (String)
                superUser.clientConfig().get("sasl.jaas.config"));
        c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The controller listener stays PLAINTEXT on loopback: controllers and brokers reach it as ANONYMOUS.
        c.put("super.users", "User:" + superUser.name() + ";User:ANONYMOUS");
        c.put("allow.everyone.if.no.acl.found", "false");
        return c;
    }
}
