package io.statecast.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real PostgreSQL: one server for every test class of the JVM, injected as a
 * {@link PostgresServer} parameter. When none can be found or started the tests are skipped with the reason
 * logged, except under CI ({@code CI} set), where that is a failure: CI must run them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SharedPostgresExtension.class)
public @interface StatecastPostgresTest {}
