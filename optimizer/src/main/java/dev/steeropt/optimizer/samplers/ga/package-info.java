/**
 * Genetic samplers built on Jenetics: NSGA-II for multi-objective studies, with generations bookkept in trial system
 * attributes so that several workers share one population through the store.
 */
package dev.steeropt.optimizer.samplers.ga;
