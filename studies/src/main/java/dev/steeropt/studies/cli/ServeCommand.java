package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.grpc.GrpcStorageServer;
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
 * {@code steeropt serve}: the dashboard, the REST API and the Optuna-compatible gRPC storage server over one study
 * database, until the process is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a study database: the web dashboard at / and the REST API under /api (listed at"
                + " /api/openapi.json), and Optuna's gRPC storage protocol on --grpc-port for Python workers. Creates the database (Optuna's schema) if it does not exist, unless"
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
    @Option(names = "--read-only", description = "Refuse every write (REST and gRPC), and never create the database.")
    boolean readOnly;
    @Option(names = "--grpc-port", defaultValue = "13000", paramLabel = "P",
            description = "Port of the Optuna-compatible gRPC storage server, for Python's"
                    + " optuna.storages.GrpcStorageProxy (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int grpcPort;
    @Option(names = "--grpc-host", defaultValue = ServerOptions.LOOPBACK, paramLabel = "H",
            description = "Address of the gRPC server (default: ${DEFAULT-VALUE}). gRPC, like Optuna's proxy, has no"
                    + " authentication: another address is reachable by anyone on the network.")
    String grpcHost;
    @Option(names = "--no-grpc", description = "Serve only the dashboard and the REST API.")
    boolean noGrpc;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        for (int p : new int[] {port, grpcPort}) {
            if (p < 0 || p > 65535) {
                throw UserFacingException.usage((p == port ? "--port " : "--grpc-port ") + p + " is not a port", null,
                        "Pass 0 to 65535.");
            }
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
        GrpcStorageServer grpc = null;
        if (!noGrpc) {
            try {
                grpc = GrpcStorageServer.start(store, grpcHost, grpcPort, readOnly);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                server.close();
                store.close();
                throw UserFacingException.usage("Cannot serve gRPC on " + grpcHost + ":" + grpcPort, e.getMessage(),
                        "Pick another --grpc-port, or pass --no-grpc.");
            }
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
        GrpcStorageServer grpcServer = grpc;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (grpcServer != null) {
                grpcServer.close();
            }
            server.close();
            store.close();
            stopped.countDown();
        }, "serve-shutdown"));
        out.println("Serving " + storage.url().display() + " at " + server.baseUrl() + "/ (API: " + server.baseUrl()
                + "/api/openapi.json)" + (grpc == null ? "" : "; gRPC storage for Optuna's GrpcStorageProxy at "
                        + grpcHost + ":" + grpc.port()) + ". Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }
}
