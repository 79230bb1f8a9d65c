/** The files a run leaves in its output directory ({@link dev.steeropt.studies.artifacts.Artifacts}) and the provenance manifest. */
package dev.steeropt.studies.artifacts;
