package dev.steeropt.studies.grpc;

import dev.steeropt.optimizer.storage.TrialStore;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Optuna-compatible gRPC storage server: Python Optuna joins a study with
 * {@code optuna.create_study(storage=GrpcStorageProxy(host=H, port=P), ...)} and reads and writes our store through
 * it. Like Optuna's own proxy it has no authentication (the client opens an insecure channel and sends no
 * credentials), so bind a loopback address unless the network is trusted; another host logs a warning. The store is
 * borrowed: {@link #close()} stops the server, not the store.
 */
public final class GrpcStorageServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcStorageServer.class);
    /** Large enough for the GetTrials reply of a big study. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final Server server;
    private final String host;

    private GrpcStorageServer(Server server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Starts serving {@code store} on {@code host:port} ({@code port} 0 picks a free port; see {@link #port()}).
     * With {@code readOnly} every write RPC is refused with PERMISSION_DENIED. Throws {@link UncheckedIOException}
     * if the address cannot be bound.
     */
    public static GrpcStorageServer start(TrialStore store, String host, int port, boolean readOnly) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("gRPC host '" + host + "' cannot be resolved; use 127.0.0.1 (default)"
                    + " or an address of this machine");
        }
        if (!isLoopback(address.getAddress())) {
            LOG.warn("gRPC storage server binds {} (not loopback): gRPC, like Optuna's GrpcStorageProxy, has no"
                    + " authentication, so anyone who reaches this port can read{} every study", host,
                    readOnly ? "" : " and write");
        }
        Server server = NettyServerBuilder.forAddress(address)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(new StorageService(store, readOnly).definition())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve gRPC on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info("gRPC storage server (Optuna GrpcStorageProxy protocol{}) listening on {}:{}",
                readOnly ? ", read-only" : "", host, server.getPort());
        return new GrpcStorageServer(server, host);
    }

    private static boolean isLoopback(InetAddress a) {
        return a != null && a.isLoopbackAddress();
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    /** The host it was asked to bind. */
    public String host() {
        return host;
    }

    /** Blocks until the server stops. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, lets running ones finish for up to 5 seconds, then cancels them. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
