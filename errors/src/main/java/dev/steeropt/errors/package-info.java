/**
 * The error a user sees ({@link dev.steeropt.errors.UserFacingException}): one line, what, why and how to fix, and
 * the exit code it maps to. Every module depends on this one so that the concept lives in one place.
 */
package dev.steeropt.errors;
