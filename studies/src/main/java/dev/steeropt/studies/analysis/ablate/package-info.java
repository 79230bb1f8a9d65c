/** {@code analyze ablate}: zero or mean ablation of block, attention or MLP output, one layer at a time or jointly. */
package dev.steeropt.studies.analysis.ablate;
