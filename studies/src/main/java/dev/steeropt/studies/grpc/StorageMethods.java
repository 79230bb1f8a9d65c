package dev.steeropt.studies.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The method descriptors of {@code optuna.StorageService}, built from the generated messages (we bind the service by
 * hand rather than with protoc-gen-grpc-java). Full names are {@code optuna.StorageService/<Method>}, as Optuna's
 * client calls them.
 */
final class StorageMethods {
    static final String SERVICE = "optuna.StorageService";

    private StorageMethods() {}

    /** A unary method {@code name} taking {@code request} messages and answering {@code reply} messages. */
    static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(String name, Q request, R reply) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(reply))
                .build();
    }
}
