/**
 * An Optuna-compatible gRPC storage server: Python's {@code optuna.storages.GrpcStorageProxy} (Optuna 4.2 and later)
 * can use any of our trial stores through it. The protocol is {@code src/main/proto/optuna_storage.proto}; the one
 * entry point is {@link dev.steeropt.studies.grpc.GrpcStorageServer}.
 */
package dev.steeropt.studies.grpc;
