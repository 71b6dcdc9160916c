package io.statecast.cli.commands;

import picocli.CommandLine.Command;

/**
 * {@code statecast capture postgres|debezium-topic}: change-data capture into {@code <ns>.changes}. Exit codes:
 * 0 stopped by SIGTERM/Ctrl-C, 1 a failure at run time, 2 a setting to fix (wrong password, missing table,
 * {@code wal_level} not logical, bad flags). See capture/README.md and docs/capture.md.
 */
@Command(
        name = "capture",
        mixinStandardHelpOptions = true,
        description = "Change-data capture into <ns>.changes: from PostgreSQL, or from an existing Debezium topic.",
        subcommands = {CapturePostgresCommand.class, CaptureDebeziumTopicCommand.class})
public final class CaptureCommand {}
