/**
 * The statecast command a user deploys (cli/target/statecast.jar): StatecastCli lists the subcommands
 * of io.statecast.cli.commands; the developer's commands (demo, broker, bench) are in the devtools
 * module.
 */
package io.statecast.cli;
