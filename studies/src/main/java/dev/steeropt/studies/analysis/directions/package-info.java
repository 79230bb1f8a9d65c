/**
 * {@code analyze directions}: contrastive (within-model) and cross-model directions per layer, written as a
 * {@link dev.steeropt.studies.analysis.directions.DirectionSet} that {@code analyze sweep --directions} reads back.
 */
package dev.steeropt.studies.analysis.directions;
