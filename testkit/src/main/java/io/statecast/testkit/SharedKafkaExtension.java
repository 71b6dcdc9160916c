package io.statecast.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * JUnit 5 extension that gives every test class of a JVM the same Kafka cluster (started on first
 * use, stopped when the test run ends) and injects it as a {@link KafkaFixture}: into constructor and
 * method parameters of that type, and into non-static, non-final fields of that type. Use it through
 * {@link StatecastKafkaTest}.
 */
public final class SharedKafkaExtension implements ParameterResolver, TestInstancePostProcessor {
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

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        for (Class<?> c = testInstance.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == KafkaFixture.class
                        && !Modifier.isStatic(f.getModifiers())
                        && !Modifier.isFinal(f.getModifiers())) {
                    inject(f, testInstance, context);
                }
            }
        }
    }

    /** The JVM-wide fixture, kept in the root context store so that JUnit closes it after the last test. */
    public static KafkaFixture fixture(ExtensionContext context) {
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(KafkaFixture.class, k -> KafkaFixture.start(), KafkaFixture.class);
    }

    private static void inject(Field f, Object testInstance, ExtensionContext context) {
        try {
            f.setAccessible(true);
            f.set(testInstance, fixture(context));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("Cannot inject the KafkaFixture into " + f, e);
        }
    }
}
