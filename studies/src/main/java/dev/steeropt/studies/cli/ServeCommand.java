package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.service.BearerToken;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.service.ServerOptions;
import dev.steeropt.studies.service.StudyServer;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt serve}: the REST API and the dashboard over one study database, until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a study database: the web dashboard at / and the REST API under /api (listed at"
                + " /api/openapi.json). Creates the database (Optuna's schema) if it does not exist, unless"
                + " --read-only.",
                "Writes (create/delete a study, notes, tell) need 'Authorization: Bearer <token>' with the token from"
                + " --token-file or $" + BearerToken.ENV + "; without one every write is refused."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Option(names = "--host", defaultValue = ServerOptions.LOOPBACK, paramLabel = "H",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
                    + " interface).")
    String host;
    @Option(names = "--port", defaultValue = "" + ServerOptions.DEFAULT_PORT, paramLabel = "P",
            description = "Port (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--token-file", paramLabel = "F",
            description = "File whose first line is the token REST writes must present (default: $"
                    + BearerToken.ENV + ").")
    Path tokenFile;
    @Option(names = "--read-only", description = "Refuse every write, and never create the database.")
    boolean readOnly;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw UserFacingException.usage("--port " + port + " is not a port", null, "Pass 0 to 65535.");
        }
        Optional<BearerToken> token = BearerToken.resolve(tokenFile, System.getenv());
        ServerOptions options = new ServerOptions(host, port, token, readOnly);
        PrintWriter out = spec.commandLine().getOut();
        JdbcTrialStore store = readOnly ? storage.openForReading() : storage.openForWriting();
        StudyServer server;
        try {
            server = StudyServer.start(store, options, ObjectiveImportance.defaults());
        } catch (UncheckedIOException e) {
            store.close();
            throw UserFacingException.usage("Cannot listen on " + host + ":" + port, e.getCause().toString(),
                    "Pick another --port, or stop the process that holds it.");
        }
        if (options.exposed() && token.isEmpty()) {
            LOG.warn("Serving on {} (reachable from other machines) without a token: anyone who can reach it reads"
                    + " every study. Writes stay refused; set --token-file or ${} to allow them, or bind"
                    + " --host 127.0.0.1.", host, BearerToken.ENV);
        }
        if (readOnly) {
            LOG.info("Read-only: every write is refused.");
        } else if (token.isEmpty()) {
            LOG.info("No token set: REST writes are refused (set --token-file or ${} to allow them).",
                    BearerToken.ENV);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }, "serve-shutdown"));
        out.println("Serving " + storage.url().display() + " at " + server.baseUrl() + "/ (API: " + server.baseUrl()
                + "/api/openapi.json). Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }
}
