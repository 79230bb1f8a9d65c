/**
 * {@code steeropt serve}: a REST API over a study database and the web dashboard that reads it.
 *
 * <p>{@link dev.steeropt.studies.service.StudyServer} owns the HTTP server (the JDK's {@code com.sun.net.httpserver}),
 * {@link dev.steeropt.studies.service.Router} matches paths, {@link dev.steeropt.studies.service.StudyApi} answers the
 * {@code /api} paths through the JDBC trial store ({@link dev.steeropt.studies.service.StudyReads} builds the read
 * models), and {@link dev.steeropt.studies.service.StaticFiles} serves the dashboard and ECharts from the classpath.
 * Writes need the bearer token ({@link dev.steeropt.studies.service.BearerToken}); errors are JSON
 * ({@link dev.steeropt.studies.service.ApiException}).
 */
package dev.steeropt.studies.service;
