package dev.steeropt.studies.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.steeropt.studies.grpc.proto.*;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status codes of the storage server, seen by a plain gRPC client (no Python needed), on SQLite and on
 * embedded PostgreSQL: Optuna's client maps exactly these to its exceptions (see {@link StorageService}), so a wrong
 * code here is a wrong Python exception there. Also the wire format of a trial (JSON attributes, internal params,
 * distribution_json, datetimes) and GetTrials' incremental filter.
 */
class GrpcStorageErrorsTest {
    @Test
    void notFoundIsDecidedByTheExceptionTypeNotItsMessage() {
        // a database failure whose message happens to say "does not exist" is not a missing record
        assertEquals(Status.Code.INTERNAL, StorageService.status("GetTrial", new dev.steeropt.optimizer.storage
                .StorageException("relation \"trials\" does not exist")).getCode());
        assertEquals(Status.Code.NOT_FOUND, StorageService.status("GetTrial", new dev.steeropt.optimizer.storage
                .RecordNotFoundException("Trial id 7 is gone", false)).getCode());
    }

    @TempDir
    Path dir;

    private static <Q extends Message, R extends Message> R call(ManagedChannel ch, String method, Q q, R reply) {
        return ClientCalls.blockingUnaryCall(ch, StorageMethods.unary(method, q, reply), CallOptions.DEFAULT, q);
    }

    private static Status.Code code(Runnable r) {
        return assertThrows(StatusRuntimeException.class, r::run).getStatus().getCode();
    }

    @Test
    void sqlite() throws Exception {
        semantics("sqlite:///" + dir.resolve("e.db").toAbsolutePath());
    }

    @Test
    @Tag("postgres")
    void postgres() throws Exception {
        semantics(EmbeddedPostgres.newDatabaseUrl());
    }

    private void semantics(String url) throws Exception {
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS);
                GrpcStorageServer server = GrpcStorageServer.start(store, "127.0.0.1", 0, false);
                GrpcStorageServer readOnly = GrpcStorageServer.start(store, "127.0.0.1", 0, true)) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            ManagedChannel ro = NettyChannelBuilder.forAddress("127.0.0.1", readOnly.port()).usePlaintext().build();
            try {
                CreateNewStudyRequest create = CreateNewStudyRequest.newBuilder().setStudyName("s")
                        .addDirections(dev.steeropt.studies.grpc.proto.StudyDirection.MAXIMIZE).build();
                long studyId = call(ch, "CreateNewStudy", create, CreateNewStudyReply.getDefaultInstance()).getStudyId();
                assertEquals(Status.Code.ALREADY_EXISTS,
                        code(() -> call(ch, "CreateNewStudy", create, CreateNewStudyReply.getDefaultInstance())));
                assertEquals(dev.steeropt.studies.grpc.proto.StudyDirection.MAXIMIZE, call(ch, "GetStudyDirections",
                        GetStudyDirectionsRequest.newBuilder().setStudyId(studyId).build(),
                        GetStudyDirectionsReply.getDefaultInstance()).getDirections(0));
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "GetStudyIdFromName",
                        GetStudyIdFromNameRequest.newBuilder().setStudyName("nope").build(),
                        GetStudyIdFromNameReply.getDefaultInstance())));
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "GetStudyNameFromId",
                        GetStudyNameFromIdRequest.newBuilder().setStudyId(studyId + 99).build(),
                        GetStudyNameFromIdReply.getDefaultInstance())));
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "GetTrial",
                        GetTrialRequest.newBuilder().setTrialId(12345).build(), GetTrialReply.getDefaultInstance())));
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "GetTrialIdFromStudyIdTrialNumber",
                        GetTrialIdFromStudyIdTrialNumberRequest.newBuilder().setStudyId(studyId).setTrialNumber(999)
                                .build(), GetTrialIdFromStudyIdTrialNumberReply.getDefaultInstance())));
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "CreateNewTrial",
                        CreateNewTrialRequest.newBuilder().setStudyId(studyId + 99).setTemplateTrialIsNone(true).build(),
                        CreateNewTrialReply.getDefaultInstance())));

                long t0 = call(ch, "CreateNewTrial", CreateNewTrialRequest.newBuilder().setStudyId(studyId)
                        .setTemplateTrialIsNone(true).build(), CreateNewTrialReply.getDefaultInstance()).getTrialId();
                String dist = "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"CAA\", \"DAC\"]}}";
                call(ch, "SetTrialParameter", SetTrialParameterRequest.newBuilder().setTrialId(t0).setParamName("m")
                        .setParamValueInternal(1).setDistribution(dist).build(), SetTrialParameterReply.getDefaultInstance());
                assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> call(ch, "SetTrialParameter",
                        SetTrialParameterRequest.newBuilder().setTrialId(t0).setParamName("m").setParamValueInternal(0)
                                .setDistribution("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null,"
                                        + " \"low\": 0.0, \"high\": 1.0, \"log\": false}}").build(),
                        SetTrialParameterReply.getDefaultInstance())));
                call(ch, "SetTrialUserAttribute", SetTrialUserAttributeRequest.newBuilder().setTrialId(t0).setKey("k")
                        .setValue("{\"a\": [1, 2.5, null]}").build(), SetTrialUserAttributeReply.getDefaultInstance());
                call(ch, "SetTrialIntermediateValue", SetTrialIntermediateValueRequest.newBuilder().setTrialId(t0)
                        .setStep(3).setIntermediateValue(Double.NaN).build(),
                        SetTrialIntermediateValueReply.getDefaultInstance());
                assertTrue(call(ch, "SetTrialStateValues", SetTrialStateValuesRequest.newBuilder().setTrialId(t0)
                        .setState(dev.steeropt.studies.grpc.proto.TrialState.COMPLETE).addValues(0.25).build(),
                        SetTrialStateValuesReply.getDefaultInstance()).getTrialUpdated());
                // a finished trial is immutable: Optuna's UpdateFinishedTrialError
                assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> call(ch, "SetTrialStateValues",
                        SetTrialStateValuesRequest.newBuilder().setTrialId(t0)
                                .setState(dev.steeropt.studies.grpc.proto.TrialState.FAIL).build(),
                        SetTrialStateValuesReply.getDefaultInstance())));
                assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> call(ch, "SetTrialIntermediateValue",
                        SetTrialIntermediateValueRequest.newBuilder().setTrialId(t0).setStep(4).build(),
                        SetTrialIntermediateValueReply.getDefaultInstance())));

                Trial t = call(ch, "GetTrial", GetTrialRequest.newBuilder().setTrialId(t0).build(),
                        GetTrialReply.getDefaultInstance()).getTrial();
                assertEquals(dev.steeropt.studies.grpc.proto.TrialState.COMPLETE, t.getState());
                assertEquals(0.25, t.getValues(0), 0.0);
                assertEquals(1.0, t.getParamsOrThrow("m"), 0.0);
                assertEquals(dist, t.getDistributionsOrThrow("m"));
                assertEquals("{\"a\": [1, 2.5, null]}", t.getUserAttributesOrThrow("k"));
                assertTrue(Double.isNaN(t.getIntermediateValuesOrThrow(3)));
                assertTrue(t.getDatetimeStart().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"),
                        t.getDatetimeStart());
                assertFalse(t.getDatetimeComplete().isEmpty());

                long t1 = call(ch, "CreateNewTrial", CreateNewTrialRequest.newBuilder().setStudyId(studyId)
                        .setTemplateTrialIsNone(true).build(), CreateNewTrialReply.getDefaultInstance()).getTrialId();
                GetTrialsReply newer = call(ch, "GetTrials", GetTrialsRequest.newBuilder().setStudyId(studyId)
                        .setTrialIdGreaterThan(t0).build(), GetTrialsReply.getDefaultInstance());
                assertEquals(1, newer.getTrialsCount());
                assertEquals(t1, newer.getTrials(0).getTrialId());
                assertEquals(2, call(ch, "GetTrials", GetTrialsRequest.newBuilder().setStudyId(studyId)
                        .setTrialIdGreaterThan(t1).addIncludedTrialIds(t0).addIncludedTrialIds(t1).build(),
                        GetTrialsReply.getDefaultInstance()).getTrialsCount());
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "GetTrials",
                        GetTrialsRequest.newBuilder().setStudyId(studyId + 99).setTrialIdGreaterThan(-1).build(),
                        GetTrialsReply.getDefaultInstance())));

                // read-only: reads answer, every write is refused and changes nothing
                assertEquals(1, call(ro, "GetAllStudies", GetAllStudiesRequest.getDefaultInstance(),
                        GetAllStudiesReply.getDefaultInstance()).getStudiesCount());
                assertEquals(Status.Code.PERMISSION_DENIED, code(() -> call(ro, "CreateNewStudy",
                        create.toBuilder().setStudyName("other").build(), CreateNewStudyReply.getDefaultInstance())));
                assertEquals(Status.Code.PERMISSION_DENIED, code(() -> call(ro, "SetTrialUserAttribute",
                        SetTrialUserAttributeRequest.newBuilder().setTrialId(t1).setKey("k").setValue("1").build(),
                        SetTrialUserAttributeReply.getDefaultInstance())));
                assertEquals(Status.Code.PERMISSION_DENIED, code(() -> call(ro, "DeleteStudy",
                        DeleteStudyRequest.newBuilder().setStudyId(studyId).build(),
                        DeleteStudyReply.getDefaultInstance())));
                assertTrue(store.findStudyId("other").isEmpty());
                assertTrue(store.getTrial(t1).userAttrs().isEmpty());

                call(ch, "DeleteStudy", DeleteStudyRequest.newBuilder().setStudyId(studyId).build(),
                        DeleteStudyReply.getDefaultInstance());
                assertEquals(Status.Code.NOT_FOUND, code(() -> call(ch, "DeleteStudy",
                        DeleteStudyRequest.newBuilder().setStudyId(studyId).build(),
                        DeleteStudyReply.getDefaultInstance())));
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                ro.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
