/**
 * One class per subcommand of statecast (topics, produce, materialize, watch, audit and its
 * subcommands, simulate) and the option mixins they share (KafkaOptions, AuditOptions). Results go to
 * stdout, logs to stderr; a StatecastException becomes one line and exit code 1.
 */
package io.statecast.cli.commands;
