/**
 * {@link dev.steeropt.studies.manager.StudyManager}: a study's lifecycle in its store (spec attribute and resume check,
 * the search shared with worker processes, the once-only test evaluation and recorded re-tests).
 */
package dev.steeropt.studies.manager;
