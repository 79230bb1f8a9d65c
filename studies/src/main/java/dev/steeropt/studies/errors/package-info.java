/**
 * The error a user sees ({@link dev.steeropt.studies.errors.UserFacingException}): one line, what, why and how to fix,
 * and the exit code it maps to; {@link dev.steeropt.studies.errors.UserFacingException#of} maps the domain errors of
 * the other modules (which depend on no project module) to it, so the concept lives in one place.
 */
package dev.steeropt.studies.errors;
