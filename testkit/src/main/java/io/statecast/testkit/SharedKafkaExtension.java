package io.statecast.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives every test class of a JVM the same Kafka cluster (started on first
 * use, stopped when the test run ends) and resolves {@link KafkaFixture} parameters. Use it through
 * {@link StatecastKafkaTest}.
 */
public final class SharedKafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return fixture(context);
    }

    /** The JVM-wide fixture, kept in the root context store so that JUnit closes it after the last test. */
    public static KafkaFixture fixture(ExtensionContext context) {
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(KafkaFixture.class, k -> KafkaFixture.start(), KafkaFixture.class);
    }
}
