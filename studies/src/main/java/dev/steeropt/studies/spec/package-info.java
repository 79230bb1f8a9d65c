/**
 * The study spec: {@link dev.steeropt.studies.spec.StudySpec} (validated records, Jackson, snake_case) with its search
 * space, its JSON round trip, identity and diff ({@link dev.steeropt.studies.spec.Specs}), and the named samplers and
 * pruners ({@link dev.steeropt.studies.spec.SearchAlgorithms}; unknown names are errors, never a fallback).
 */
package dev.steeropt.studies.spec;
