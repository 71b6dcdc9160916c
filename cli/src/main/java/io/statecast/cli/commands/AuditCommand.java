package io.statecast.cli.commands;

import picocli.CommandLine.Command;

/**
 * {@code statecast audit …}: read-only replays for auditors (no writes, no consumer group, no committed
 * offsets). Exit codes: 0 ok, 1 mismatch or failure, 2 usage error. See audit/README.md and docs/audit.md.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Read-only replays of a namespace: no writes, no consumer group, no committed offsets.",
        subcommands = {
            AuditAsOfCommand.class,
            AuditHistoryCommand.class,
            AuditVerifyCommand.class,
            AuditDiffCommand.class,
            AuditExportCommand.class,
            AuditRejectionsCommand.class
        })
public final class AuditCommand {}
