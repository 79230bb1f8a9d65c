/**
 * Charts of every command that draws one (probes, analyses, studies, Pareto fronts), through JFreeChart: {@link
 * dev.steeropt.studies.plots.Charts} builds line, scatter, bar and heatmap charts with one look, and {@link
 * dev.steeropt.studies.plots.ChartFile} writes a chart as PNG or SVG by the file's extension.
 */
package dev.steeropt.studies.plots;
