/**
 * One class per subcommand of statecast (topics, produce, capture, materialize, watch, audit and its
 * subcommands, simulate) and the option mixins they share (KafkaOptions, AuditOptions). Results go to
 * stdout, logs to stderr; a failure becomes one line and exit code 1, or 2 for bad usage or
 * configuration.
 */
package io.statecast.cli.commands;
