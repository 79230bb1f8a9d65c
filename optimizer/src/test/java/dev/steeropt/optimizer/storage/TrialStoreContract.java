package dev.steeropt.optimizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link TrialStore} contract (Optuna's {@code StorageTestCase}): one suite, run against every backend.
 *
 * <p>Implement it once per store: {@code class SqliteTrialStoreTest implements TrialStoreContract { public TrialStore
 * newStore() { ... } }}. Each test asks for a fresh, empty store and closes it. The suite is backend-neutral:
 * <ul>
 *   <li>timestamps are compared with {@link #clockSlack()} of tolerance (databases truncate to ms or µs);</li>
 *   <li>attribute values are compared as JSON ({@link JsonValues#jsonEquals}: {@code 1}, {@code 1L}, {@code 1.0} are
 *       equal), so a backend may read numbers back as Integer, Long or Double;</li>
 *   <li>concurrency tests call one store from several threads, which the contract says must be safe.</li>
 * </ul>
 * Heartbeat staleness itself needs a backend clock and is tested by the backends; here only the parts every store
 * shares are checked (trials without a heartbeat are never failed; a fresh heartbeat is not stale).
 */
public interface TrialStoreContract {

    /** A new, empty store; each test closes it. */
    TrialStore newStore();

    /** Tolerance for comparing stored timestamps with the test's clock (default 2 s). */
    default Duration clockSlack() {
        return Duration.ofSeconds(2);
    }

    // ---------------------------------------------------------------------------------------------------------
    // studies
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void createdStudyIsFoundByNameWithItsDirections() {
        try (TrialStore s = newStore()) {
            long a = s.createStudy("single", List.of(StudyDirection.MAXIMIZE));
            long b = s.createStudy("multi", List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE));
            assertNotEquals(a, b, "study ids must be distinct");
            assertEquals(a, s.getStudyId("single"));
            assertEquals(b, s.findStudyId("multi").orElseThrow());
            assertEquals("single", s.getStudyName(a));
            assertEquals("multi", s.getStudyName(b));
            assertEquals(List.of(StudyDirection.MAXIMIZE), s.getStudyDirections(a));
            assertEquals(List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE), s.getStudyDirections(b),
                    "directions must keep the objective order");
        }
    }

    @Test
    default void duplicateStudyNameIsRefused() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("dup", List.of(StudyDirection.MINIMIZE));
            assertThrows(DuplicatedStudyException.class, () -> s.createStudy("dup", List.of(StudyDirection.MAXIMIZE)));
            assertEquals(List.of(StudyDirection.MINIMIZE), s.getStudyDirections(id), "the first study must be kept");
            assertEquals(1, s.getAllStudies().size());
        }
    }

    @Test
    default void unknownStudyNameAndIdThrowStorageExceptionNamingThem() {
        try (TrialStore s = newStore()) {
            s.createStudy("known", List.of(StudyDirection.MINIMIZE));
            assertTrue(s.findStudyId("missing").isEmpty());
            StorageException e = assertThrows(StorageException.class, () -> s.getStudyId("missing"));
            assertTrue(e.getMessage().contains("missing"), "message must name the study: " + e.getMessage());
            assertTrue(e.getMessage().contains("known"), "message must list known studies: " + e.getMessage());
            long bogus = 987_654_321L;
            assertThrows(StorageException.class, () -> s.getStudyName(bogus));
            assertThrows(StorageException.class, () -> s.getStudyDirections(bogus));
            assertThrows(StorageException.class, () -> s.createTrial(bogus, null));
            assertThrows(StorageException.class, () -> s.getAllTrials(bogus, null));
        }
    }

    @Test
    default void unknownTrialIdThrowsStorageException() {
        try (TrialStore s = newStore()) {
            long bogus = 987_654_321L;
            assertThrows(StorageException.class, () -> s.getTrial(bogus));
            assertThrows(StorageException.class, () -> s.getStudyIdOfTrial(bogus));
            assertThrows(StorageException.class, () -> s.setTrialUserAttr(bogus, "k", 1));
            assertThrows(StorageException.class,
                    () -> s.setTrialStateValues(bogus, TrialState.COMPLETE, List.of(1.0)));
        }
    }

    @Test
    default void deleteStudyRemovesItAndItsTrialsAndFreesTheName() {
        try (TrialStore s = newStore()) {
            long keep = s.createStudy("keep", List.of(StudyDirection.MINIMIZE));
            long gone = s.createStudy("gone", List.of(StudyDirection.MINIMIZE));
            long keptTrial = s.createTrial(keep, null);
            long goneTrial = s.createTrial(gone, null);
            s.setStudyUserAttr(gone, "k", "v");
            s.deleteStudy(gone);
            assertTrue(s.findStudyId("gone").isEmpty());
            assertThrows(StorageException.class, () -> s.getStudyName(gone));
            assertThrows(StorageException.class, () -> s.getTrial(goneTrial));
            assertEquals(List.of("keep"), s.getAllStudies().stream().map(StudySummary::studyName).toList());
            assertEquals(TrialState.RUNNING, s.getTrial(keptTrial).state(), "other studies must be untouched");
            long again = s.createStudy("gone", List.of(StudyDirection.MAXIMIZE));
            assertEquals(0, s.getNTrials(again, null), "a re-created study starts empty");
            assertTrue(s.getStudyUserAttrs(again).isEmpty(), "a re-created study has no old attributes");
        }
    }

    @Test
    default void studyAttributesAreUpsertedAndKeptApartFromEachOther() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("attrs", List.of(StudyDirection.MINIMIZE));
            assertTrue(s.getStudyUserAttrs(id).isEmpty());
            assertTrue(s.getStudySystemAttrs(id).isEmpty());
            s.setStudyUserAttr(id, "owner", "alice");
            s.setStudyUserAttr(id, "owner", "bob");
            s.setStudyUserAttr(id, "budget", 12);
            s.setStudySystemAttr(id, "study:metric_names", List.of("accuracy"));
            assertJson(Map.of("owner", "bob", "budget", 12), s.getStudyUserAttrs(id));
            assertJson(Map.of("study:metric_names", List.of("accuracy")), s.getStudySystemAttrs(id));
        }
    }

    @Test
    default void jsonAttributeValuesRoundTrip() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("json", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("list", Arrays.asList(1, 2.5, "x", null, true));
            nested.put("map", Map.of("a", List.of(), "b", Map.of("c", -3)));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("null", null);
            values.put("true", true);
            values.put("int", 42);
            values.put("long", 1L << 40);
            values.put("double", 0.1 + 0.2);
            values.put("string", "héllo \"quoted\" \\ \n");
            values.put("nested", nested);
            values.put("long_string", "x".repeat(2045));
            for (Map.Entry<String, Object> e : values.entrySet()) {
                s.setTrialUserAttr(t, e.getKey(), e.getValue());
                s.setTrialSystemAttr(t, e.getKey(), e.getValue());
                s.setStudyUserAttr(id, e.getKey(), e.getValue());
            }
            FrozenTrial f = s.getTrial(t);
            assertJson(values, f.userAttrs());
            assertJson(values, f.systemAttrs());
            assertJson(values, s.getStudyUserAttrs(id));
        }
    }

    @Test
    default void allStudiesAreListedInIdOrderWithCountsStartAndUserAttrs() {
        try (TrialStore s = newStore()) {
            long a = s.createStudy("a", List.of(StudyDirection.MINIMIZE));
            long b = s.createStudy("b", List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE));
            Instant before = Instant.now();
            long t0 = s.createTrial(a, null);
            s.createTrial(a, waiting(Map.of(), Map.of()));
            s.setTrialStateValues(t0, TrialState.FAIL, null);
            s.setStudyUserAttr(b, "note", "hi");
            List<StudySummary> all = s.getAllStudies();
            assertEquals(List.of(a, b), all.stream().map(StudySummary::studyId).toList());
            StudySummary sa = all.get(0);
            StudySummary sb = all.get(1);
            assertEquals("a", sa.studyName());
            assertEquals(2, sa.nTrials(), "nTrials counts trials of every state");
            assertNotNull(sa.datetimeStart());
            assertNear(before, sa.datetimeStart());
            assertEquals(List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE), sb.directions());
            assertEquals(0, sb.nTrials());
            assertNull(sb.datetimeStart(), "a study without trials has no start time");
            assertJson(Map.of("note", "hi"), sb.userAttrs());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // trial creation and numbering
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void newTrialIsRunningWithAStartTimeAndNothingElse() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("new", List.of(StudyDirection.MINIMIZE));
            Instant before = Instant.now();
            long t = s.createTrial(id, null);
            FrozenTrial f = s.getTrial(t);
            assertEquals(t, f.trialId());
            assertEquals(0, f.number());
            assertEquals(TrialState.RUNNING, f.state());
            assertNotNull(f.datetimeStart());
            assertNear(before, f.datetimeStart());
            assertNull(f.datetimeComplete());
            assertNull(f.values());
            assertTrue(f.params().isEmpty());
            assertTrue(f.userAttrs().isEmpty());
            assertTrue(f.systemAttrs().isEmpty());
            assertTrue(f.intermediateValues().isEmpty());
            assertEquals(id, s.getStudyIdOfTrial(t));
        }
    }

    @Test
    default void trialNumbersAreGapFreePerStudyInCreationOrder() {
        try (TrialStore s = newStore()) {
            long a = s.createStudy("a", List.of(StudyDirection.MINIMIZE));
            long b = s.createStudy("b", List.of(StudyDirection.MINIMIZE));
            List<Long> idsA = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                idsA.add(s.createTrial(a, i % 2 == 0 ? null : waiting(Map.of(), Map.of())));
                s.createTrial(b, null); // interleaved: numbers are per study
            }
            for (int n = 0; n < 6; n++) {
                long tid = idsA.get(n);
                assertEquals(n, s.getTrial(tid).number());
                assertEquals(tid, s.getTrialId(a, n));
                assertEquals(n, s.getTrial(s.getTrialId(b, n)).number());
            }
            assertEquals(6, new HashSet<>(idsA).size(), "trial ids must be unique");
            List<Integer> numbers = s.getAllTrials(a, null).stream().map(FrozenTrial::number).toList();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), numbers, "getAllTrials must return number order");
            assertThrows(StorageException.class, () -> s.getTrialId(a, 6));
            assertThrows(StorageException.class, () -> s.getTrialId(a, -1));
        }
    }

    @Test
    default void trialNumbersStayGapFreeUnderConcurrentCreation() throws Exception {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("race", List.of(StudyDirection.MINIMIZE));
            int threads = 4;
            int perThread = 15;
            List<Long> ids = Collections.synchronizedList(new ArrayList<>());
            runConcurrently(threads, () -> {
                for (int i = 0; i < perThread; i++) {
                    ids.add(s.createTrial(id, null));
                }
                return null;
            });
            assertEquals(threads * perThread, new HashSet<>(ids).size(), "trial ids must be unique");
            List<Integer> numbers = new ArrayList<>();
            for (long t : ids) {
                numbers.add(s.getTrial(t).number());
            }
            Collections.sort(numbers);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) {
                expected.add(i);
            }
            assertEquals(expected, numbers, "numbers must be 0..n-1 without gaps or duplicates");
        }
    }

    @Test
    default void templateTrialCopiesStateValuesParamsAttributesAndIntermediateValues() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("tmpl", List.of(StudyDirection.MINIMIZE));
            s.createTrial(id, null);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("layer", 7L);
            params.put("method", "DAC");
            Map<String, Distribution> dists = new LinkedHashMap<>();
            dists.put("layer", IntDistribution.of(0, 23));
            dists.put("method", CategoricalDistribution.of("CAA", "DAC"));
            Instant start = Instant.parse("2026-01-02T03:04:05Z");
            Instant end = Instant.parse("2026-01-02T03:05:06Z");
            TreeMap<Integer, Double> iv = new TreeMap<>(Map.of(0, 3.0, 4, 1.5));
            FrozenTrial done = new FrozenTrial(999, 42, TrialState.COMPLETE, List.of(0.25), start, end, params, dists,
                    Map.of("u", "x"), Map.of("s", 1), iv);
            long t = s.createTrial(id, done);
            FrozenTrial f = s.getTrial(t);
            assertEquals(1, f.number(), "the store assigns the number, not the template");
            assertEquals(t, f.trialId(), "the store assigns the id, not the template");
            assertEquals(TrialState.COMPLETE, f.state());
            assertEquals(List.of(0.25), f.values());
            assertEquals(params, f.params());
            assertEquals(dists, f.distributions());
            assertJson(Map.of("u", "x"), f.userAttrs());
            assertJson(Map.of("s", 1), f.systemAttrs());
            assertEquals(iv, f.intermediateValues());
            assertSameInstant(start, f.datetimeStart());
            assertSameInstant(end, f.datetimeComplete());

            long w = s.createTrial(id, waiting(Map.of("fixed_params", Map.of("layer", 3)), Map.of("tag", "enqueued")));
            FrozenTrial fw = s.getTrial(w);
            assertEquals(2, fw.number());
            assertEquals(TrialState.WAITING, fw.state());
            assertNull(fw.datetimeStart(), "a WAITING trial has not started");
            assertNull(fw.datetimeComplete());
            assertJson(Map.of("fixed_params", Map.of("layer", 3)), fw.systemAttrs());
            assertJson(Map.of("tag", "enqueued"), fw.userAttrs());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // params
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void paramsRoundTripAsExternalValuesInSuggestionOrder() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("params", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            CategoricalDistribution mixed = new CategoricalDistribution(Arrays.asList("a", null, true, 3L, 2.5));
            Map<String, Distribution> dists = new LinkedHashMap<>();
            dists.put("zeta", FloatDistribution.of(-4, 4));
            dists.put("alpha", FloatDistribution.log(1e-4, 1e-1));
            dists.put("layer", IntDistribution.of(0, 23));
            dists.put("k", new IntDistribution(0, 10, false, 2));
            dists.put("t", FloatDistribution.stepped(0, 1, 0.1));
            dists.put("n", new IntDistribution(1, 1024, true, 1));
            dists.put("mixed_null", mixed);
            dists.put("mixed_bool", mixed);
            dists.put("mixed_long", mixed);
            dists.put("mixed_double", mixed);
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("zeta", 1.0 / 3.0);
            expected.put("alpha", 0.0031622776601683794);
            expected.put("layer", 17L);
            expected.put("k", 6L);
            expected.put("t", 0.30000000000000004);
            expected.put("n", 512L);
            expected.put("mixed_null", null);
            expected.put("mixed_bool", true);
            expected.put("mixed_long", 3L);
            expected.put("mixed_double", 2.5);
            for (Map.Entry<String, Distribution> e : dists.entrySet()) {
                s.setTrialParam(t, e.getKey(), e.getValue().toInternal(expected.get(e.getKey())), e.getValue());
            }
            FrozenTrial f = s.getTrial(t);
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(f.params().keySet()),
                    "params must keep suggestion order");
            assertEquals(expected, f.params(), "external values: Double for floats (bit-exact), Long for ints, "
                    + "the choice itself for categoricals");
            assertEquals(dists, f.distributions());
            assertEquals(1.0 / 3.0, f.internalParam("zeta"));
            assertEquals(1.0, f.internalParam("mixed_null"));
        }
    }

    @Test
    default void incompatibleDistributionForAnExistingParamNameIsRefused() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("compat", List.of(StudyDirection.MINIMIZE));
            long t0 = s.createTrial(id, null);
            s.setTrialParam(t0, "x", 0.5, FloatDistribution.of(0, 1));
            s.setTrialParam(t0, "n", 3, IntDistribution.of(0, 10));
            s.setTrialParam(t0, "m", 0, CategoricalDistribution.of("CAA", "DAC"));
            long t1 = s.createTrial(id, null);
            assertThrows(IllegalArgumentException.class, () -> s.setTrialParam(t1, "x", 0.5, IntDistribution.of(0, 1)),
                    "another kind");
            assertThrows(IllegalArgumentException.class, () -> s.setTrialParam(t1, "x", 0.5,
                    FloatDistribution.log(0.1, 1)), "another log flag");
            assertThrows(IllegalArgumentException.class, () -> s.setTrialParam(t1, "n", 3,
                    new IntDistribution(1, 10, true, 1)), "another log flag");
            assertThrows(IllegalArgumentException.class, () -> s.setTrialParam(t1, "m", 0,
                    CategoricalDistribution.of("CAA", "DAC", "ITI")), "other choices");
            assertTrue(s.getTrial(t1).params().isEmpty(), "a refused param must not be stored");
            // Other bounds or steps of the same kind are compatible (the search space may change between trials).
            s.setTrialParam(t1, "x", 2.0, FloatDistribution.of(0, 5));
            s.setTrialParam(t1, "n", 4, new IntDistribution(0, 20, false, 2));
            s.setTrialParam(t1, "m", 1, CategoricalDistribution.of("CAA", "DAC"));
            assertEquals(2.0, s.getTrial(t1).params().get("x"));
            // Compatibility is per study.
            long other = s.createStudy("other", List.of(StudyDirection.MINIMIZE));
            long t2 = s.createTrial(other, null);
            s.setTrialParam(t2, "x", 1, IntDistribution.of(0, 3));
            assertEquals(1L, s.getTrial(t2).params().get("x"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // states, values, intermediate values
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void finishingATrialStoresValuesAndCompletionTime() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("finish", List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE));
            long c = s.createTrial(id, null);
            long p = s.createTrial(id, null);
            long fl = s.createTrial(id, null);
            Instant before = Instant.now();
            assertTrue(s.setTrialStateValues(c, TrialState.COMPLETE, List.of(1.5, Double.NEGATIVE_INFINITY)));
            assertTrue(s.setTrialStateValues(p, TrialState.PRUNED, null));
            assertTrue(s.setTrialStateValues(fl, TrialState.FAIL, null));
            FrozenTrial fc = s.getTrial(c);
            assertEquals(TrialState.COMPLETE, fc.state());
            assertEquals(List.of(1.5, Double.NEGATIVE_INFINITY), fc.values(), "values keep order and infinities");
            assertNotNull(fc.datetimeComplete());
            assertNear(before, fc.datetimeComplete());
            assertFalse(fc.datetimeComplete().isBefore(fc.datetimeStart().minus(clockSlack())));
            assertEquals(TrialState.PRUNED, s.getTrial(p).state());
            assertNull(s.getTrial(p).values());
            assertNotNull(s.getTrial(p).datetimeComplete());
            assertEquals(TrialState.FAIL, s.getTrial(fl).state());
            assertNotNull(s.getTrial(fl).datetimeComplete());
        }
    }

    @Test
    default void infiniteObjectiveValuesRoundTrip() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("inf", List.of(StudyDirection.MINIMIZE));
            double[] vals = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-300, Double.MAX_VALUE,
                    0.1 + 0.2};
            List<Long> ids = new ArrayList<>();
            for (double v : vals) {
                long t = s.createTrial(id, null);
                s.setTrialStateValues(t, TrialState.COMPLETE, List.of(v));
                ids.add(t);
            }
            for (int i = 0; i < vals.length; i++) {
                assertEquals(vals[i], s.getTrial(ids.get(i)).value(), 0.0, "value " + vals[i]);
            }
        }
    }

    @Test
    default void prunedTrialMayCarryItsLastIntermediateValue() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("pruned", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            s.setTrialIntermediateValue(t, 0, 2.0);
            s.setTrialIntermediateValue(t, 1, 1.25);
            s.setTrialStateValues(t, TrialState.PRUNED, List.of(1.25));
            FrozenTrial f = s.getTrial(t);
            assertEquals(TrialState.PRUNED, f.state());
            assertEquals(List.of(1.25), f.values());
        }
    }

    @Test
    default void runningCanOnlyBeTakenFromWaitingOnce() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("pop", List.of(StudyDirection.MINIMIZE));
            long w = s.createTrial(id, waiting(Map.of(), Map.of()));
            Instant before = Instant.now();
            assertTrue(s.setTrialStateValues(w, TrialState.RUNNING, null), "WAITING -> RUNNING must succeed");
            FrozenTrial f = s.getTrial(w);
            assertEquals(TrialState.RUNNING, f.state());
            assertNotNull(f.datetimeStart(), "taking a WAITING trial sets its start time");
            assertNear(before, f.datetimeStart());
            assertFalse(s.setTrialStateValues(w, TrialState.RUNNING, null),
                    "a second worker must not take the same trial");
            long r = s.createTrial(id, null);
            assertFalse(s.setTrialStateValues(r, TrialState.RUNNING, null), "RUNNING -> RUNNING returns false");
            assertEquals(TrialState.RUNNING, s.getTrial(r).state());
        }
    }

    @Test
    default void exactlyOneOfConcurrentWorkersTakesAWaitingTrial() throws Exception {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("pop-race", List.of(StudyDirection.MINIMIZE));
            for (int round = 0; round < 5; round++) {
                long w = s.createTrial(id, waiting(Map.of(), Map.of()));
                List<Boolean> results = runConcurrently(4, () -> s.setTrialStateValues(w, TrialState.RUNNING, null));
                assertEquals(1, results.stream().filter(Boolean::booleanValue).count(),
                        "exactly one worker must win the WAITING trial, got " + results);
                assertEquals(TrialState.RUNNING, s.getTrial(w).state());
            }
        }
    }

    @Test
    default void intermediateValuesRoundTripSortedByStepIncludingNanAndInfinities() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("iv", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            s.setTrialIntermediateValue(t, 5, Double.NaN);
            s.setTrialIntermediateValue(t, 0, 1.0);
            s.setTrialIntermediateValue(t, 2, Double.POSITIVE_INFINITY);
            s.setTrialIntermediateValue(t, 3, Double.NEGATIVE_INFINITY);
            s.setTrialIntermediateValue(t, 1, 0.1 + 0.2);
            FrozenTrial f = s.getTrial(t);
            assertEquals(List.of(0, 1, 2, 3, 5), new ArrayList<>(f.intermediateValues().keySet()));
            assertEquals(1.0, f.intermediateValues().get(0));
            assertEquals(0.1 + 0.2, f.intermediateValues().get(1));
            assertEquals(Double.POSITIVE_INFINITY, f.intermediateValues().get(2));
            assertEquals(Double.NEGATIVE_INFINITY, f.intermediateValues().get(3));
            assertTrue(Double.isNaN(f.intermediateValues().get(5)), "NaN must survive the round trip");
            assertEquals(5, f.lastStep().orElseThrow());
        }
    }

    @Test
    default void trialAttributesAreUpserted() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("tattrs", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            s.setTrialUserAttr(t, "k", 1);
            s.setTrialUserAttr(t, "k", "two");
            s.setTrialSystemAttr(t, "fail_reason", "boom");
            s.setTrialSystemAttr(t, "fail_reason", "bang");
            assertJson(Map.of("k", "two"), s.getTrial(t).userAttrs());
            assertJson(Map.of("fail_reason", "bang"), s.getTrial(t).systemAttrs());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // immutability and snapshots
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void finishedTrialIsImmutable() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("immutable", List.of(StudyDirection.MINIMIZE));
            for (TrialState finished : List.of(TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)) {
                long t = s.createTrial(id, null);
                s.setTrialParam(t, "x", 0.5, FloatDistribution.of(0, 1));
                s.setTrialIntermediateValue(t, 0, 1.0);
                s.setTrialUserAttr(t, "u", 1);
                s.setTrialStateValues(t, finished, finished == TrialState.COMPLETE ? List.of(0.5) : null);
                FrozenTrial before = s.getTrial(t);
                List<Runnable> writes = List.of(
                        () -> s.setTrialParam(t, "x", 0.7, FloatDistribution.of(0, 1)),
                        () -> s.setTrialParam(t, "y", 0.7, FloatDistribution.of(0, 1)),
                        () -> s.setTrialStateValues(t, TrialState.COMPLETE, List.of(9.0)),
                        () -> s.setTrialStateValues(t, TrialState.FAIL, null),
                        () -> s.setTrialStateValues(t, TrialState.RUNNING, null),
                        () -> s.setTrialIntermediateValue(t, 1, 2.0),
                        () -> s.setTrialUserAttr(t, "u", 2),
                        () -> s.setTrialSystemAttr(t, "s", 2));
                for (int i = 0; i < writes.size(); i++) {
                    Runnable w = writes.get(i);
                    assertThrows(UpdateFinishedTrialException.class, w::run,
                            "write #" + i + " to a " + finished + " trial must throw");
                }
                assertEquals(before, s.getTrial(t), "a refused write must leave the " + finished + " trial unchanged");
            }
        }
    }

    @Test
    default void returnedTrialsAreSnapshotsThatLaterWritesDoNotChange() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("snap", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            s.setTrialParam(t, "x", 0.5, FloatDistribution.of(0, 1));
            FrozenTrial snap = s.getTrial(t);
            List<FrozenTrial> list = s.getAllTrials(id, null);
            s.setTrialParam(t, "y", 0.25, FloatDistribution.of(0, 1));
            s.setTrialUserAttr(t, "u", "v");
            s.setTrialSystemAttr(t, "s", "v");
            s.setTrialIntermediateValue(t, 0, 3.0);
            s.setTrialStateValues(t, TrialState.COMPLETE, List.of(1.0));
            s.createTrial(id, null);
            assertEquals(TrialState.RUNNING, snap.state());
            assertEquals(Set.of("x"), snap.params().keySet());
            assertTrue(snap.userAttrs().isEmpty());
            assertTrue(snap.systemAttrs().isEmpty());
            assertTrue(snap.intermediateValues().isEmpty());
            assertNull(snap.values());
            assertEquals(1, list.size(), "a returned list must not grow");
            assertEquals(TrialState.RUNNING, list.get(0).state());
            FrozenTrial now = s.getTrial(t);
            assertEquals(TrialState.COMPLETE, now.state());
            assertEquals(Set.of("x", "y"), now.params().keySet());
            assertThrows(UnsupportedOperationException.class, () -> now.params().put("z", 1.0));
            assertThrows(UnsupportedOperationException.class, () -> now.userAttrs().put("z", 1.0));
            List<FrozenTrial> all = s.getAllTrials(id, null);
            assertThrows(UnsupportedOperationException.class, () -> all.add(now),
                    "getAllTrials must not hand out the store's own list");
        }
    }

    @Test
    default void attributeValuesAreCopiedOnWrite() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("copy", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            List<Object> mutable = new ArrayList<>(List.of(1, 2));
            Map<String, Object> map = new LinkedHashMap<>(Map.of("a", 1));
            s.setTrialUserAttr(t, "list", mutable);
            s.setTrialSystemAttr(t, "map", map);
            s.setStudyUserAttr(id, "list", mutable);
            mutable.add(3);
            map.put("b", 2);
            assertJson(List.of(1, 2), s.getTrial(t).userAttrs().get("list"));
            assertJson(Map.of("a", 1), s.getTrial(t).systemAttrs().get("map"));
            assertJson(List.of(1, 2), s.getStudyUserAttrs(id).get("list"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // queries
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void getAllTrialsFiltersByStateAndCounts() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("filter", List.of(StudyDirection.MINIMIZE));
            List<TrialState> states = List.of(TrialState.COMPLETE, TrialState.RUNNING, TrialState.PRUNED,
                    TrialState.FAIL, TrialState.WAITING, TrialState.COMPLETE);
            for (TrialState st : states) {
                if (st == TrialState.WAITING) {
                    s.createTrial(id, waiting(Map.of(), Map.of()));
                    continue;
                }
                long t = s.createTrial(id, null);
                if (st != TrialState.RUNNING) {
                    s.setTrialStateValues(t, st, st == TrialState.COMPLETE ? List.of(1.0) : null);
                }
            }
            assertEquals(List.of(0, 5), numbers(s.getAllTrials(id, EnumSet.of(TrialState.COMPLETE))));
            assertEquals(List.of(0, 2, 5), numbers(s.getAllTrials(id, EnumSet.of(TrialState.COMPLETE,
                    TrialState.PRUNED))));
            assertEquals(List.of(4), numbers(s.getAllTrials(id, EnumSet.of(TrialState.WAITING))));
            assertEquals(List.of(), numbers(s.getAllTrials(id, EnumSet.noneOf(TrialState.class))));
            assertEquals(List.of(0, 1, 2, 3, 4, 5), numbers(s.getAllTrials(id, null)));
            assertEquals(List.of(0, 1, 2, 3, 4, 5), numbers(s.getAllTrials(id, EnumSet.allOf(TrialState.class))));
            assertEquals(6, s.getNTrials(id, null));
            assertEquals(2, s.getNTrials(id, EnumSet.of(TrialState.COMPLETE)));
            assertEquals(1, s.getNTrials(id, EnumSet.of(TrialState.FAIL)));
            assertEquals(1, s.getNTrials(id, EnumSet.of(TrialState.RUNNING)));
        }
    }

    @Test
    default void bestTrialIsTheFirstOptimalCompleteTrial() {
        try (TrialStore s = newStore()) {
            long min = s.createStudy("min", List.of(StudyDirection.MINIMIZE));
            long max = s.createStudy("max", List.of(StudyDirection.MAXIMIZE));
            for (long id : List.of(min, max)) {
                assertThrows(IllegalStateException.class, () -> s.getBestTrial(id), "no COMPLETE trial yet");
                double[] values = {3.0, -1.0, 7.0, -1.0, 7.0};
                for (double v : values) {
                    long t = s.createTrial(id, null);
                    s.setTrialStateValues(t, TrialState.COMPLETE, List.of(v));
                }
                long pruned = s.createTrial(id, null);
                s.setTrialStateValues(pruned, TrialState.PRUNED, List.of(id == min ? -100.0 : 100.0));
                s.createTrial(id, null); // running
            }
            assertEquals(1, s.getBestTrial(min).number(), "ties go to the lower number; PRUNED values do not count");
            assertEquals(-1.0, s.getBestTrial(min).value());
            assertEquals(2, s.getBestTrial(max).number());
            assertEquals(7.0, s.getBestTrial(max).value());

            long inf = s.createStudy("inf", List.of(StudyDirection.MINIMIZE));
            for (double v : new double[] {Double.POSITIVE_INFINITY, 0.0, Double.NEGATIVE_INFINITY}) {
                long t = s.createTrial(inf, null);
                s.setTrialStateValues(t, TrialState.COMPLETE, List.of(v));
            }
            assertEquals(2, s.getBestTrial(inf).number(), "-inf is the best a minimised value can be");

            long multi = s.createStudy("multi", List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE));
            long t = s.createTrial(multi, null);
            s.setTrialStateValues(t, TrialState.COMPLETE, List.of(1.0, 2.0));
            assertThrows(IllegalStateException.class, () -> s.getBestTrial(multi),
                    "best trial is undefined for several objectives");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // heartbeats
    // ---------------------------------------------------------------------------------------------------------

    @Test
    default void trialsWithoutHeartbeatAreNeverFailedAsStale() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("hb", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            long w = s.createTrial(id, waiting(Map.of(), Map.of()));
            assertEquals(List.of(), s.failStaleTrials(id));
            assertEquals(TrialState.RUNNING, s.getTrial(t).state());
            assertEquals(TrialState.WAITING, s.getTrial(w).state());
        }
    }

    @Test
    default void aFreshHeartbeatIsNotStale() {
        try (TrialStore s = newStore()) {
            long id = s.createStudy("hb-fresh", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(id, null);
            s.recordHeartbeat(t);
            s.recordHeartbeat(t); // repeated heartbeats are upserts
            assertEquals(List.of(), s.failStaleTrials(id), "a trial that just beat must not be failed");
            assertEquals(TrialState.RUNNING, s.getTrial(t).state());
            s.heartbeatIntervalSeconds().ifPresent(sec -> assertTrue(sec > 0, "interval must be positive: " + sec));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    /** A WAITING template, as enqueue creates it. */
    static FrozenTrial waiting(Map<String, Object> systemAttrs, Map<String, Object> userAttrs) {
        return new FrozenTrial(0, 0, TrialState.WAITING, null, null, null, Map.of(), Map.of(), userAttrs, systemAttrs,
                null);
    }

    static List<Integer> numbers(List<FrozenTrial> trials) {
        return trials.stream().map(FrozenTrial::number).toList();
    }

    /** Asserts JSON equality (numbers by value), printing both sides. */
    static void assertJson(Object expected, Object actual) {
        assertTrue(JsonValues.jsonEquals(expected, actual), "expected JSON " + expected + " but got " + actual);
    }

    /** Asserts a stored instant lies between {@code notBefore} and now, give or take {@link #clockSlack()}. */
    default void assertNear(Instant notBefore, Instant actual) {
        assertNotNull(actual, "expected a timestamp");
        Instant now = Instant.now();
        assertFalse(actual.isBefore(notBefore.minus(clockSlack())),
                "stored time " + actual + " is before " + notBefore + " (slack " + clockSlack() + ")");
        assertFalse(actual.isAfter(now.plus(clockSlack())), "stored time " + actual + " is after now " + now);
    }

    /** Asserts a stored instant equals {@code expected} within {@link #clockSlack()}. */
    default void assertSameInstant(Instant expected, Instant actual) {
        assertNotNull(actual, "expected a timestamp");
        Duration d = Duration.between(expected, actual).abs();
        assertTrue(d.compareTo(clockSlack()) <= 0, "expected time " + expected + " but got " + actual);
    }

    /** Runs {@code task} on {@code threads} threads released together; returns their results, failing on errors. */
    static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
