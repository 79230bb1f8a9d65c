/**
 * The search objective: {@link dev.steeropt.studies.objective.ParamMapping} turns trial params ({@code layer},
 * {@code alpha}, {@code method}, {@code temperature}, DAC's {@code top_p}) into a steering method, and
 * {@link dev.steeropt.studies.objective.SteeringObjective} grades the validation split chunk by chunk, reporting after
 * each chunk so the pruner can act.
 */
package dev.steeropt.studies.objective;
