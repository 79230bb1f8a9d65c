/**
 * The {@code steeropt} command line: {@link dev.steeropt.studies.cli.Main} and one {@code *Command} class per
 * subcommand. Results go to stdout, logs and progress to stderr; expected errors print one message (what, why, how
 * to fix) and exit with 2 (usage) or 1 (runtime).
 */
package dev.steeropt.studies.cli;
