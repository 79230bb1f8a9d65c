package dev.steeropt.studies.grpc;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.grpc.proto.Trial;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Conversions between our trial model and the protocol's messages (JSON attributes, internal params, datetimes). */
final class ProtoTrials {
    /** Python's {@code "%Y-%m-%d %H:%M:%S.%f"}: naive local time, microseconds. */
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private ProtoTrials() {}

    static dev.steeropt.studies.grpc.proto.StudyDirection direction(StudyDirection d) {
        return d == StudyDirection.MAXIMIZE ? dev.steeropt.studies.grpc.proto.StudyDirection.MAXIMIZE
                : dev.steeropt.studies.grpc.proto.StudyDirection.MINIMIZE;
    }

    static StudyDirection direction(dev.steeropt.studies.grpc.proto.StudyDirection d) {
        return d == dev.steeropt.studies.grpc.proto.StudyDirection.MAXIMIZE ? StudyDirection.MAXIMIZE
                : StudyDirection.MINIMIZE;
    }

    static dev.steeropt.studies.grpc.proto.TrialState state(dev.steeropt.optimizer.trial.TrialState s) {
        return dev.steeropt.studies.grpc.proto.TrialState.valueOf(s.name());
    }

    static dev.steeropt.optimizer.trial.TrialState state(dev.steeropt.studies.grpc.proto.TrialState s) {
        if (s == dev.steeropt.studies.grpc.proto.TrialState.UNRECOGNIZED) {
            throw new IllegalArgumentException("unknown trial state number");
        }
        return dev.steeropt.optimizer.trial.TrialState.valueOf(s.name());
    }

    static Map<String, String> jsonAttrs(Map<String, Object> attrs) {
        Map<String, String> out = new LinkedHashMap<>();
        attrs.forEach((k, v) -> out.put(k, OptunaJson.dumps(v)));
        return out;
    }

    static Map<String, Object> attrsFromJson(Map<String, String> attrs) {
        Map<String, Object> out = new LinkedHashMap<>();
        attrs.forEach((k, v) -> out.put(k, OptunaJson.loads(v)));
        return out;
    }

    static String time(Instant t) {
        return t == null ? "" : LocalDateTime.ofInstant(t, ZoneId.systemDefault()).format(DATETIME);
    }

    static Instant time(String s) {
        return s.isEmpty() ? null : LocalDateTime.parse(s, DATETIME).atZone(ZoneId.systemDefault()).toInstant();
    }

    static Trial toProto(FrozenTrial t) {
        Trial.Builder b = Trial.newBuilder()
                .setTrialId(t.trialId())
                .setNumber(t.number())
                .setState(state(t.state()))
                .setDatetimeStart(time(t.datetimeStart()))
                .setDatetimeComplete(time(t.datetimeComplete()))
                .putAllUserAttributes(jsonAttrs(t.userAttrs()))
                .putAllSystemAttributes(jsonAttrs(t.systemAttrs()));
        if (t.values() != null) {
            b.addAllValues(t.values());
        }
        t.distributions().forEach((name, d) -> {
            b.putDistributions(name, DistributionJson.toJson(d));
            b.putParams(name, t.internalParam(name));
        });
        t.intermediateValues().forEach((step, v) -> b.putIntermediateValues(step, v));
        return b.build();
    }

    /** A template trial sent by a client (enqueue_trial, add_trial). */
    static FrozenTrial fromProto(Trial p) {
        Map<String, Distribution> dists = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        p.getDistributionsMap().forEach((name, json) -> {
            Distribution d = DistributionJson.fromJson(json);
            dists.put(name, d);
            Double internal = p.getParamsMap().get(name);
            if (internal == null) {
                throw new IllegalArgumentException("parameter '" + name + "' has a distribution but no value");
            }
            params.put(name, d.toExternal(internal));
        });
        TreeMap<Integer, Double> intermediate = new TreeMap<>();
        p.getIntermediateValuesMap().forEach((step, v) -> intermediate.put(Math.toIntExact(step), v));
        List<Double> values = p.getValuesCount() == 0 ? null : List.copyOf(p.getValuesList());
        return new FrozenTrial(p.getTrialId(), (int) p.getNumber(), state(p.getState()), values,
                time(p.getDatetimeStart()), time(p.getDatetimeComplete()), params, dists,
                attrsFromJson(p.getUserAttributesMap()), attrsFromJson(p.getSystemAttributesMap()), intermediate);
    }
}
