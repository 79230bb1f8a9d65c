package dev.steeropt.studies.grpc;

import com.google.protobuf.Message;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.storage.RecordNotFoundException;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.storage.UpdateFinishedTrialException;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.grpc.proto.*;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code optuna.StorageService} over a {@link TrialStore}, with the status codes Optuna's client turns back into its
 * exceptions: NOT_FOUND → {@code KeyError}, ALREADY_EXISTS → {@code DuplicatedStudyError}, FAILED_PRECONDITION →
 * {@code UpdateFinishedTrialError}, INVALID_ARGUMENT → {@code ValueError}. In read-only mode every write answers
 * PERMISSION_DENIED (Optuna's client re-raises it as a {@code grpc.RpcError} naming the reason).
 */
final class StorageService {
    private static final Logger LOG = LoggerFactory.getLogger(StorageService.class);

    private final TrialStore store;
    private final boolean readOnly;

    StorageService(TrialStore store, boolean readOnly) {
        this.store = store;
        this.readOnly = readOnly;
    }

    ServerServiceDefinition definition() {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(StorageMethods.SERVICE);
        // ---- studies ----
        bind(b, true, "CreateNewStudy", CreateNewStudyRequest.getDefaultInstance(),
                CreateNewStudyReply.getDefaultInstance(), q -> CreateNewStudyReply.newBuilder()
                        .setStudyId(store.createStudy(q.getStudyName(),
                                q.getDirectionsList().stream().map(ProtoTrials::direction).toList()))
                        .build());
        bind(b, true, "DeleteStudy", DeleteStudyRequest.getDefaultInstance(), DeleteStudyReply.getDefaultInstance(),
                q -> {
                    store.deleteStudy(q.getStudyId());
                    return DeleteStudyReply.getDefaultInstance();
                });
        bind(b, true, "SetStudyUserAttribute", SetStudyUserAttributeRequest.getDefaultInstance(),
                SetStudyUserAttributeReply.getDefaultInstance(), q -> {
                    store.setStudyUserAttr(q.getStudyId(), q.getKey(), OptunaJson.loads(q.getValue()));
                    return SetStudyUserAttributeReply.getDefaultInstance();
                });
        bind(b, true, "SetStudySystemAttribute", SetStudySystemAttributeRequest.getDefaultInstance(),
                SetStudySystemAttributeReply.getDefaultInstance(), q -> {
                    store.setStudySystemAttr(q.getStudyId(), q.getKey(), OptunaJson.loads(q.getValue()));
                    return SetStudySystemAttributeReply.getDefaultInstance();
                });
        bind(b, false, "GetStudyIdFromName", GetStudyIdFromNameRequest.getDefaultInstance(),
                GetStudyIdFromNameReply.getDefaultInstance(), q -> GetStudyIdFromNameReply.newBuilder()
                        .setStudyId(store.findStudyId(q.getStudyName()).orElseThrow(() -> new RecordNotFoundException(
                                "no study named '" + q.getStudyName() + "'", true)))
                        .build());
        bind(b, false, "GetStudyNameFromId", GetStudyNameFromIdRequest.getDefaultInstance(),
                GetStudyNameFromIdReply.getDefaultInstance(), q -> GetStudyNameFromIdReply.newBuilder()
                        .setStudyName(store.getStudyName(q.getStudyId())).build());
        bind(b, false, "GetStudyDirections", GetStudyDirectionsRequest.getDefaultInstance(),
                GetStudyDirectionsReply.getDefaultInstance(), q -> GetStudyDirectionsReply.newBuilder()
                        .addAllDirections(directions(store.getStudyDirections(q.getStudyId()))).build());
        bind(b, false, "GetStudyUserAttributes", GetStudyUserAttributesRequest.getDefaultInstance(),
                GetStudyUserAttributesReply.getDefaultInstance(), q -> GetStudyUserAttributesReply.newBuilder()
                        .putAllUserAttributes(ProtoTrials.jsonAttrs(store.getStudyUserAttrs(q.getStudyId()))).build());
        bind(b, false, "GetStudySystemAttributes", GetStudySystemAttributesRequest.getDefaultInstance(),
                GetStudySystemAttributesReply.getDefaultInstance(), q -> GetStudySystemAttributesReply.newBuilder()
                        .putAllSystemAttributes(ProtoTrials.jsonAttrs(store.getStudySystemAttrs(q.getStudyId())))
                        .build());
        bind(b, false, "GetAllStudies", GetAllStudiesRequest.getDefaultInstance(),
                GetAllStudiesReply.getDefaultInstance(), q -> {
                    GetAllStudiesReply.Builder r = GetAllStudiesReply.newBuilder();
                    for (StudySummary s : store.getAllStudies()) {
                        r.addStudies(Study.newBuilder().setStudyId(s.studyId()).setStudyName(s.studyName())
                                .addAllDirections(directions(s.directions()))
                                .putAllUserAttributes(ProtoTrials.jsonAttrs(s.userAttrs()))
                                .putAllSystemAttributes(ProtoTrials.jsonAttrs(store.getStudySystemAttrs(s.studyId()))));
                    }
                    return r.build();
                });
        // ---- trials ----
        bind(b, true, "CreateNewTrial", CreateNewTrialRequest.getDefaultInstance(),
                CreateNewTrialReply.getDefaultInstance(), q -> CreateNewTrialReply.newBuilder()
                        .setTrialId(store.createTrial(q.getStudyId(),
                                q.getTemplateTrialIsNone() ? null : ProtoTrials.fromProto(q.getTemplateTrial())))
                        .build());
        bind(b, true, "SetTrialParameter", SetTrialParameterRequest.getDefaultInstance(),
                SetTrialParameterReply.getDefaultInstance(), q -> {
                    store.setTrialParam(q.getTrialId(), q.getParamName(), q.getParamValueInternal(),
                            DistributionJson.fromJson(q.getDistribution()));
                    return SetTrialParameterReply.getDefaultInstance();
                });
        bind(b, false, "GetTrialIdFromStudyIdTrialNumber", GetTrialIdFromStudyIdTrialNumberRequest.getDefaultInstance(),
                GetTrialIdFromStudyIdTrialNumberReply.getDefaultInstance(), q -> GetTrialIdFromStudyIdTrialNumberReply
                        .newBuilder().setTrialId(store.getTrialId(q.getStudyId(), Math.toIntExact(q.getTrialNumber())))
                        .build());
        bind(b, true, "SetTrialStateValues", SetTrialStateValuesRequest.getDefaultInstance(),
                SetTrialStateValuesReply.getDefaultInstance(), q -> SetTrialStateValuesReply.newBuilder()
                        .setTrialUpdated(store.setTrialStateValues(q.getTrialId(), ProtoTrials.state(q.getState()),
                                q.getValuesCount() == 0 ? null : List.copyOf(q.getValuesList())))
                        .build());
        bind(b, true, "SetTrialIntermediateValue", SetTrialIntermediateValueRequest.getDefaultInstance(),
                SetTrialIntermediateValueReply.getDefaultInstance(), q -> {
                    store.setTrialIntermediateValue(q.getTrialId(), Math.toIntExact(q.getStep()),
                            q.getIntermediateValue());
                    return SetTrialIntermediateValueReply.getDefaultInstance();
                });
        bind(b, true, "SetTrialUserAttribute", SetTrialUserAttributeRequest.getDefaultInstance(),
                SetTrialUserAttributeReply.getDefaultInstance(), q -> {
                    store.setTrialUserAttr(q.getTrialId(), q.getKey(), OptunaJson.loads(q.getValue()));
                    return SetTrialUserAttributeReply.getDefaultInstance();
                });
        bind(b, true, "SetTrialSystemAttribute", SetTrialSystemAttributeRequest.getDefaultInstance(),
                SetTrialSystemAttributeReply.getDefaultInstance(), q -> {
                    store.setTrialSystemAttr(q.getTrialId(), q.getKey(), OptunaJson.loads(q.getValue()));
                    return SetTrialSystemAttributeReply.getDefaultInstance();
                });
        bind(b, false, "GetTrial", GetTrialRequest.getDefaultInstance(), GetTrialReply.getDefaultInstance(),
                q -> GetTrialReply.newBuilder().setTrial(ProtoTrials.toProto(store.getTrial(q.getTrialId()))).build());
        bind(b, false, "GetTrials", GetTrialsRequest.getDefaultInstance(), GetTrialsReply.getDefaultInstance(), q -> {
            Set<Long> included = new HashSet<>(q.getIncludedTrialIdsList());
            GetTrialsReply.Builder r = GetTrialsReply.newBuilder();
            for (FrozenTrial t : store.getAllTrials(q.getStudyId(), null)) {
                if (t.trialId() > q.getTrialIdGreaterThan() || included.contains(t.trialId())) {
                    r.addTrials(ProtoTrials.toProto(t));
                }
            }
            return r.build();
        });
        return b.build();
    }

    private static List<dev.steeropt.studies.grpc.proto.StudyDirection> directions(List<StudyDirection> ds) {
        return ds.stream().map(ProtoTrials::direction).toList();
    }

    private <Q extends Message, R extends Message> void bind(ServerServiceDefinition.Builder b, boolean write,
            String name, Q request, R reply, Function<Q, R> handler) {
        b.addMethod(StorageMethods.unary(name, request, reply), ServerCalls.asyncUnaryCall((q, response) -> {
            if (write && readOnly) {
                response.onError(Status.PERMISSION_DENIED.withDescription("this SteerOpt storage server is read-only"
                        + " (started with --read-only): " + name + " is a write").asRuntimeException());
                return;
            }
            R r;
            try {
                r = handler.apply(q);
            } catch (RuntimeException e) {
                response.onError(status(name, e).asRuntimeException());
                return;
            }
            response.onNext(r);
            response.onCompleted();
        }));
    }

    /** The status Optuna's client maps to the matching Python exception. */
    static Status status(String method, RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof DuplicatedStudyException) {
            return Status.ALREADY_EXISTS.withDescription(message);
        }
        if (e instanceof UpdateFinishedTrialException) {
            return Status.FAILED_PRECONDITION.withDescription(message);
        }
        if (e instanceof RecordNotFoundException) {
            return Status.NOT_FOUND.withDescription(message);
        }
        if (e instanceof IllegalArgumentException || e instanceof ArithmeticException) {
            return Status.INVALID_ARGUMENT.withDescription(message);
        }
        LOG.warn("gRPC {} failed: {}", method, message, e);
        return Status.INTERNAL.withDescription(message);
    }
}
