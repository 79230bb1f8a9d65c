/**
 * {@code analyze patch}: activation patching of a source run (another model of the same shape, or the same model on
 * other prompts: clean against corrupted questions) into a target run, per layer and component or per attention head,
 * with teacher-forced gold log-probability and greedy accuracy recovered per site.
 */
package dev.steeropt.studies.analysis.patch;
