/**
 * {@code analyze patch}: activation patching of a source model's component into a target of the same shape, with
 * teacher-forced gold log-probability and greedy accuracy recovered per layer.
 */
package dev.steeropt.studies.analysis.patch;
