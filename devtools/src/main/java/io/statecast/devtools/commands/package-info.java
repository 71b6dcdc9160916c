/**
 * The developer's subcommands: demo (the Kubernetes scale-up end to end), broker (an embedded
 * single-node Kafka in the foreground) and bench (the benchmark suites in a forked JVM with a fixed
 * heap).
 */
package io.statecast.devtools.commands;
