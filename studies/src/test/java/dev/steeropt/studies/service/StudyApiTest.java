package dev.steeropt.studies.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API over a real SQLite study database: the keys and values of every read, paging and incremental fetch,
 * and the security rules (token, read-only, bounded bodies, JSON errors without stack traces, no SQL).
 */
class StudyApiTest {
    static final String TOKEN = "0123456789abcdef-test-token";
    static final int N = 60;

    @TempDir
    static Path tmp;
    static JdbcTrialStore store;
    static StudyServer server;
    static StudyServer readOnly;
    static StudyServer tokenless;
    static Http http;
    static long study;
    static long multi;

    @BeforeAll
    static void start() {
        store = TrialStores.open("sqlite:///" + tmp.resolve("s.db"), StoreOptions.DEFAULTS);
        study = ServiceFixture.study(store, "single", N, 1);
        multi = ServiceFixture.twoObjectives(store, "multi", new double[][] {
            {0.5, 100}, {0.6, 120}, {0.4, 90}, {0.55, 130}, {0.6, 110}, {0.3, 95}});
        server = StudyServer.start(store, new ServerOptions("127.0.0.1", 0, Optional.of(BearerToken.of(TOKEN, "test")),
                false), ObjectiveImportance.defaults());
        readOnly = StudyServer.start(store, new ServerOptions("127.0.0.1", 0,
                Optional.of(BearerToken.of(TOKEN, "test")), true), ObjectiveImportance.defaults());
        tokenless = StudyServer.start(store, new ServerOptions("127.0.0.1", 0, Optional.empty(), false),
                ObjectiveImportance.defaults());
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
        readOnly.close();
        tokenless.close();
        store.close();
    }

    private static List<FrozenTrial> trials() {
        return store.getAllTrials(study, null);
    }

    @Test
    void studyListHasDashboardKeysAndTheBestValueByDirection() throws Exception {
        Http.Reply r = http.get("/api/studies");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode single = null;
        JsonNode two = null;
        for (JsonNode s : r.json().get("study_summaries")) {
            if (s.get("study_name").asText().equals("single")) {
                single = s;
            } else if (s.get("study_name").asText().equals("multi")) {
                two = s;
            }
        }
        List<String> keys = new ArrayList<>();
        single.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("study_id", "study_name", "directions", "best_value", "n_trials", "n_trials_by_state",
                "datetime_start", "last_activity"), Set.copyOf(keys));
        // maximised: the largest COMPLETE value, not the smallest, and not a PRUNED or FAIL trial's
        double best = trials().stream().filter(t -> t.state() == TrialState.COMPLETE).mapToDouble(FrozenTrial::value)
                .max().orElseThrow();
        assertEquals(best, single.get("best_value").asDouble(), 0.0);
        assertEquals(N, single.get("n_trials").asInt());
        assertEquals(1, single.get("n_trials_by_state").get("RUNNING").asInt());
        assertEquals(trials().stream().filter(t -> t.state() == TrialState.PRUNED).count(),
                single.get("n_trials_by_state").get("PRUNED").asInt());
        assertEquals("maximize", single.get("directions").get(0).asText());
        assertEquals("2026-01-01T00:00:00Z", single.get("datetime_start").asText());
        // the last activity is the last trial's start (it is RUNNING), later than any completion before it
        assertEquals(trials().get(N - 1).datetimeStart().toString(), single.get("last_activity").asText());
        assertFalse(two.has("best_value"));
        assertEquals(List.of(0.6, 90.0), List.of(two.get("best_values").get(0).asDouble(),
                two.get("best_values").get(1).asDouble()));
    }

    @Test
    void oneStudyHasItsSearchSpaceWithLogAndTheBestTrial() throws Exception {
        JsonNode d = http.get("/api/studies/" + study).json();
        assertEquals("single", d.get("summary").get("study_name").asText());
        assertTrue(d.get("search_space").get("lr").get("attributes").get("log").asBoolean());
        assertFalse(d.get("search_space").get("x").get("attributes").get("log").asBoolean());
        int best = d.get("best_trials").get(0).asInt();
        FrozenTrial bt = store.getBestTrial(study);
        assertEquals(bt.number(), best);
        assertEquals(404, http.get("/api/studies/999999").status());
    }

    @Test
    void multiObjectiveParetoFrontIsTheNonDominatedTrials() throws Exception {
        // (acc max, tokens min): 0 (0.5,100), 1 (0.6,120), 2 (0.4,90), 3 dominated by 1? no: 3 (0.55,130) is
        // dominated by 1 (0.6,120); 4 (0.6,110) dominates 1; 5 (0.3,95) dominated by 2
        JsonNode pd = http.get("/api/studies/" + multi + "/plot_data").json();
        List<Integer> front = new ArrayList<>();
        pd.get("pareto").forEach(n -> front.add(n.asInt()));
        assertEquals(List.of(0, 2, 4), front);
        JsonNode d = http.get("/api/studies/" + multi).json();
        assertEquals(3, d.get("best_trials").size());
    }

    @Test
    void trialsArePagedAndFetchedIncrementally() throws Exception {
        JsonNode p = http.get("/api/studies/" + study + "/trials?offset=10&limit=5").json();
        assertEquals(N, p.get("total").asInt());
        assertEquals(5, p.get("trials").size());
        assertEquals(10, p.get("trials").get(0).get("number").asInt());
        assertEquals(14, p.get("trials").get(4).get("number").asInt());
        // only the last trial is RUNNING, so every trial up to N - 2 is finished
        assertEquals(N - 2, p.get("next_after").asInt());
        JsonNode inc = http.get("/api/studies/" + study + "/trials?after=" + (N - 2)).json();
        assertEquals(1, inc.get("trials").size());
        assertEquals(N - 1, inc.get("trials").get(0).get("number").asInt());
        assertEquals("RUNNING", inc.get("trials").get(0).get("state").asText());
        JsonNode t = p.get("trials").get(0);
        FrozenTrial stored = trials().get(10);
        assertEquals(stored.params().get("x"), t.get("params").get("x").asDouble());
        assertEquals(3, t.get("intermediate_values").size());
        assertEquals(stored.intermediateValues().get(3), t.get("intermediate_values").get(2).get("value").asDouble());
        JsonNode plot = http.get("/api/studies/" + study + "/plot_data?after=" + (N - 5)).json();
        assertEquals(List.of(N - 4, N - 3, N - 2, N - 1), ints(plot.get("numbers")));
        assertTrue(plot.get("params").get("lr").get("log").asBoolean());
        JsonNode iv = http.get("/api/studies/" + study + "/intermediate_values?after=" + (N - 3)).json();
        assertEquals(List.of(N - 2, N - 1), ints(iv.get("numbers")));
        FrozenTrial t2 = trials().get(N - 2);
        assertEquals(List.of(1.0, t2.intermediateValues().get(1), 2.0, t2.intermediateValues().get(2), 3.0,
                t2.intermediateValues().get(3)), List.of(iv.get("intermediate").get(0).get(0).asDouble(),
                iv.get("intermediate").get(0).get(1).asDouble(), iv.get("intermediate").get(0).get(2).asDouble(),
                iv.get("intermediate").get(0).get(3).asDouble(), iv.get("intermediate").get(0).get(4).asDouble(),
                iv.get("intermediate").get(0).get(5).asDouble()));
    }

    @Test
    void trialsAreFilteredAndSorted() throws Exception {
        JsonNode p = http.get("/api/studies/" + study + "/trials?state=PRUNED,FAIL&limit=1000").json();
        long expected = trials().stream().filter(t -> t.state() == TrialState.PRUNED || t.state() == TrialState.FAIL)
                .count();
        assertEquals(expected, p.get("total").asInt());
        p.get("trials").forEach(t -> assertTrue(Set.of("PRUNED", "FAIL").contains(t.get("state").asText())));
        JsonNode byValue = http.get("/api/studies/" + study + "/trials?sort=value&order=desc&limit=3").json();
        assertEquals(store.getBestTrial(study).number(), byValue.get("trials").get(0).get("number").asInt());
        assertTrue(byValue.get("trials").get(0).get("values").get(0).asDouble()
                >= byValue.get("trials").get(1).get("values").get(0).asDouble());
        JsonNode byX = http.get("/api/studies/" + study + "/trials?sort=param:x&limit=" + N).json();
        double prev = Double.NEGATIVE_INFINITY;
        for (JsonNode t : byX.get("trials")) {
            double x = t.get("params").get("x").asDouble();
            assertTrue(x >= prev, "sorted by x");
            prev = x;
        }
        JsonNode ranged = http.get("/api/studies/" + study + "/trials?value_min=-1&limit=1000").json();
        assertEquals(trials().stream().filter(t -> t.values() != null && t.values().get(0) >= -1).count(),
                ranged.get("total").asInt());
        Http.Reply bad = http.get("/api/studies/" + study + "/trials?sort=nonsense");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").get("message").asText().contains("datetime_start"), bad.body());
        assertEquals(400, http.get("/api/studies/" + study + "/trials?limit=0").status());
    }

    @Test
    void oneTrialByNumber() throws Exception {
        JsonNode t = http.get("/api/studies/" + study + "/trials/10").json();
        assertEquals(10, t.get("number").asInt());
        assertEquals(trials().get(10).trialId(), t.get("trial_id").asLong());
        Http.Reply missing = http.get("/api/studies/" + study + "/trials/" + N);
        assertEquals(404, missing.status());
        assertTrue(missing.json().get("error").get("message").asText().contains("no trial number " + N));
    }

    @Test
    void importancesRankTheParameterTheObjectiveDependsOn() throws Exception {
        JsonNode imp = http.get("/api/studies/" + study + "/param_importances").json();
        JsonNode list = imp.get("param_importances").get(0);
        assertEquals("x", list.get(0).get("name").asText(), imp.toString());
        double sum = 0;
        for (JsonNode i : list) {
            sum += i.get("importance").asDouble();
        }
        assertEquals(1.0, sum, 1e-9);
        assertEquals("ped-anova", imp.get("evaluator").asText());
        assertEquals(trials().stream().filter(t -> t.state() == TrialState.COMPLETE).count(),
                imp.get("n_complete_trials").asInt());
        JsonNode fanova = http.get("/api/studies/" + study + "/param_importances?evaluator=fanova").json();
        assertEquals("fanova", fanova.get("evaluator").asText());
        assertEquals("x", fanova.get("param_importances").get(0).get(0).get("name").asText(), fanova.toString());
        assertEquals(400, http.get("/api/studies/" + study + "/param_importances?evaluator=nope").status());
        // one list per objective of a multi-objective study, each over that objective's values alone
        JsonNode two = http.get("/api/studies/" + multi + "/param_importances").json().get("param_importances");
        assertEquals(2, two.size());
        assertEquals("x", two.get(1).get(0).get("name").asText());
    }

    @Test
    void testEvaluationIsTheRecordedAttribute() throws Exception {
        long id = store.createStudy("tested", List.of(dev.steeropt.optimizer.study.StudyDirection.MAXIMIZE));
        assertEquals(404, http.get("/api/studies/" + id + "/test_evaluation").status());
        store.setStudySystemAttr(id, StudyManager.TEST_ATTR, Map.of("n_items", 40, "mcnemar", Map.of("p_value", 0.03)));
        JsonNode te = http.get("/api/studies/" + id + "/test_evaluation").json();
        assertEquals(0.03, te.get("test_evaluation").get("mcnemar").get("p_value").asDouble(), 0.0);
        assertEquals(40, te.get("test_evaluation").get("n_items").asInt());
    }

    @Test
    void artifactsAreListedAndServedButNothingOutsideTheirDirectory() throws Exception {
        long id = store.createStudy("with-artifacts", List.of(dev.steeropt.optimizer.study.StudyDirection.MAXIMIZE));
        Path dir = Files.createDirectories(tmp.resolve("out/plots"));
        Files.writeString(tmp.resolve("out/final_results.json"), "{\"study\": \"with-artifacts\"}");
        Files.write(dir.resolve("history.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(tmp.resolve("secret.txt"), "do not serve");
        Files.writeString(tmp.resolve("out/study.db"), "the database is not an artifact");
        store.setStudySystemAttr(id, StudyReads.ARTIFACTS_DIR_ATTR, tmp.resolve("out").toString());
        JsonNode list = http.get("/api/studies/" + id + "/artifacts").json();
        List<String> names = new ArrayList<>();
        list.get("artifacts").forEach(a -> names.add(a.get("name").asText()));
        assertEquals(List.of("final_results.json", "plots/history.png"), names);
        Http.Reply png = http.get("/api/studies/" + id + "/artifacts/plots%2Fhistory.png");
        assertEquals(200, png.status());
        assertEquals("image/png", png.contentType());
        assertEquals(404, http.get("/api/studies/" + id + "/artifacts/..%2Fsecret.txt").status());
        assertEquals(404, http.get("/api/studies/" + id + "/artifacts/%2Fetc%2Fpasswd").status());
    }

    @Test
    void writesNeedTheBearerToken() throws Exception {
        String body = "{\"study_name\": \"created\", \"directions\": [\"maximize\"]}";
        Http.Reply none = http.send("POST", "/api/studies", body, null);
        assertEquals(401, none.status());
        assertTrue(none.json().get("error").get("message").asText().contains("Authorization"), none.body());
        Http.Reply wrong = http.send("POST", "/api/studies", body, TOKEN + "x");
        assertEquals(401, wrong.status());
        assertEquals(401, http.send("POST", "/api/studies", body, TOKEN.substring(0, TOKEN.length() - 1)).status());
        assertTrue(store.findStudyId("created").isEmpty(), "refused writes change nothing");
        Http.Reply ok = http.send("POST", "/api/studies", body, TOKEN);
        assertEquals(201, ok.status(), ok.body());
        long id = ok.json().get("study_id").asLong();
        assertEquals(id, store.findStudyId("created").orElseThrow());
        assertEquals(409, http.send("POST", "/api/studies", body, TOKEN).status());
        assertEquals(401, http.send("DELETE", "/api/studies/" + id, null, null).status());
        assertTrue(store.findStudyId("created").isPresent());
        assertEquals(200, http.send("DELETE", "/api/studies/" + id, null, TOKEN).status());
        assertTrue(store.findStudyId("created").isEmpty());
    }

    @Test
    void tellFinishesARunningTrialOnceWithTheToken() throws Exception {
        long id = store.createStudy("tell", List.of(dev.steeropt.optimizer.study.StudyDirection.MINIMIZE));
        long trial = store.createTrial(id, null);
        assertEquals(401, http.send("POST", "/api/trials/" + trial + "/tell", "{\"state\":\"COMPLETE\","
                + "\"values\":[0.25]}", null).status());
        assertEquals(TrialState.RUNNING, store.getTrial(trial).state());
        assertEquals(400, http.send("POST", "/api/trials/" + trial + "/tell", "{\"state\":\"COMPLETE\","
                + "\"values\":[1, 2]}", TOKEN).status());
        Http.Reply ok = http.send("POST", "/api/trials/" + trial + "/tell", "{\"state\":\"COMPLETE\","
                + "\"values\":[0.25]}", TOKEN);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(List.of(0.25), store.getTrial(trial).values());
        assertEquals(TrialState.COMPLETE, store.getTrial(trial).state());
        assertEquals(409, http.send("POST", "/api/trials/" + trial + "/tell", "{\"state\":\"FAIL\"}", TOKEN).status());
        assertEquals(TrialState.COMPLETE, store.getTrial(trial).state());
        Http.Reply note = http.send("PUT", "/api/studies/" + id + "/note", "{\"body\": \"looks good\"}", TOKEN);
        assertEquals(200, note.status(), note.body());
        assertEquals("looks good", http.get("/api/studies/" + id).json().get("note").asText());
    }

    @Test
    void readOnlyRefusesEveryWriteEvenWithTheToken() throws Exception {
        Http ro = new Http(readOnly.baseUrl());
        long trial = store.createTrial(store.createStudy("ro", List.of(
                dev.steeropt.optimizer.study.StudyDirection.MINIMIZE)), null);
        List<Http.Reply> replies = List.of(
                ro.send("POST", "/api/studies", "{\"study_name\": \"ro2\"}", TOKEN),
                ro.send("DELETE", "/api/studies/" + study, null, TOKEN),
                ro.send("PUT", "/api/studies/" + study + "/note", "{\"body\": \"x\"}", TOKEN),
                ro.send("POST", "/api/trials/" + trial + "/tell", "{\"state\":\"FAIL\"}", TOKEN));
        for (Http.Reply r : replies) {
            assertEquals(403, r.status(), r.body());
            assertTrue(r.json().get("error").get("message").asText().contains("read-only"), r.body());
        }
        assertTrue(store.findStudyId("ro2").isEmpty());
        assertTrue(store.findStudyId("single").isPresent());
        assertEquals(TrialState.RUNNING, store.getTrial(trial).state());
        assertEquals(200, ro.get("/api/studies").status(), "reads still work");
    }

    @Test
    void aServerWithoutATokenRefusesWrites() throws Exception {
        Http.Reply r = new Http(tokenless.baseUrl()).send("POST", "/api/studies", "{\"study_name\": \"nt\"}", "anything");
        assertEquals(401, r.status());
        assertTrue(r.json().get("error").get("message").asText().contains("--token-file"), r.body());
        assertTrue(store.findStudyId("nt").isEmpty());
    }

    @Test
    void bodiesAreBoundedAndErrorsAreJsonWithoutStackTraces() throws Exception {
        String big = "{\"body\": \"" + "a".repeat(ServerOptions.MAX_BODY_BYTES) + "\"}";
        Http.Reply tooBig = http.send("PUT", "/api/studies/" + study + "/note", big, TOKEN);
        assertEquals(413, tooBig.status());
        assertFalse(store.getStudySystemAttrs(study).containsKey(StudyReads.NOTE_ATTR));
        Http.Reply malformed = http.send("POST", "/api/studies", "{\"study_name\": ", TOKEN);
        assertEquals(400, malformed.status());
        Http.Reply unknownKey = http.send("POST", "/api/studies", "{\"study_name\": \"u\", \"sql\": \"DROP\"}", TOKEN);
        assertEquals(400, unknownKey.status());
        assertTrue(unknownKey.json().get("error").get("message").asText().contains("sql"), unknownKey.body());
        Http.Reply notFound = http.get("/api/nothing");
        Http.Reply method = http.send("PATCH", "/api/studies", "{}", TOKEN);
        Http.Reply badId = http.get("/api/studies/1%20OR%201=1");
        assertEquals(404, notFound.status());
        assertEquals(405, method.status());
        assertEquals(400, badId.status());
        for (Http.Reply r : List.of(tooBig, malformed, unknownKey, notFound, method, badId)) {
            assertTrue(r.contentType().startsWith("application/json"), r.contentType());
            assertTrue(r.json().get("error").get("message").isTextual(), r.body());
            assertFalse(r.body().contains("at dev.steeropt") || r.body().contains("Exception"), r.body());
        }
    }

    @Test
    void noPathTakesSqlAndAHostileStudyNameIsJustAName() throws Exception {
        JsonNode paths = http.get("/api/openapi.json").json().get("paths");
        List<String> all = new ArrayList<>();
        paths.fieldNames().forEachRemaining(all::add);
        assertTrue(all.containsAll(List.of("/api/studies", "/api/studies/{study_id}",
                "/api/studies/{study_id}/param_importances", "/api/studies/{study_id}/trials")), all.toString());
        for (String p : all) {
            assertFalse(p.toLowerCase().contains("sql") || p.toLowerCase().contains("query"), p);
        }
        assertTrue(paths.get("/api/studies/{study_id}").get("delete").has("security"));
        assertFalse(paths.get("/api/studies/{study_id}").get("get").has("security"));
        String hostile = "x'); DROP TABLE trials; --";
        Http.Reply r = http.send("POST", "/api/studies", "{\"study_name\": \"" + hostile + "\"}", TOKEN);
        assertEquals(201, r.status(), r.body());
        assertEquals(N, http.get("/api/studies/" + study + "/trials").json().get("total").asInt());
        assertTrue(store.findStudyId(hostile).isPresent());
    }

    @Test
    void theDashboardIsServedAtTheRootWithItsScripts() throws Exception {
        Http.Reply page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.body().contains("render-marker") && page.body().contains("/assets/echarts.min.js"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no CDN");
        Http.Reply echarts = http.get("/assets/echarts.min.js");
        assertEquals(200, echarts.status());
        assertTrue(echarts.body().length() > 500_000 && echarts.body().contains("echarts"));
        assertEquals(200, http.get("/assets/app.js").status());
        assertEquals(404, http.get("/assets/..%2F..%2FMain.class").status());
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asInt()));
        return out;
    }

}
