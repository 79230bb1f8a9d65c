/**
 * {@code analyze report}: the whole suite of a preset as one self-contained HTML file
 * ({@link dev.steeropt.studies.analysis.report.ReportCommand}).
 */
package dev.steeropt.studies.analysis.report;
