package dev.steeropt.studies.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.pruners.MedianPruner;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.importance.OptunaVenv;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Python Optuna 5.0.0 on our gRPC storage server: two Python processes ({@code studies/tools/optuna-grpc-worker.py},
 * {@code create_study(storage=GrpcStorageProxy(...), load_if_exists=True)}, TPE + MedianPruner, 30 trials each) and
 * a Java thread (our {@link Study} ask/tell, 30 trials, directly on the database: SQLite, and embedded PostgreSQL)
 * share one study at the same
 * time. The union must have unique, gap-free numbers; every trial must read the same through Optuna's proxy and
 * through our store (state, values, params, intermediate values); every intermediate value must be the toy
 * learning curve of the trial's own params (so nothing was lost or mixed up between trials); both sides must have
 * pruned. Then Optuna's exceptions for misuse, and the read-only server.
 */
class GrpcStorageInteropTest {
    static final int PER_WORKER = 30;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static double floor(double x, long layer, String method) {
        return (x - 1.0) * (x - 1.0) + 0.1 * layer + ("DAC".equals(method) ? 0.5 : 0.0);
    }

    private static JsonNode python(String python, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, Path.of("tools", "optuna-grpc-worker.py").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "python worker timed out: " + args[0]);
        assertEquals(0, p.exitValue(), "python worker " + String.join(" ", args) + " failed: " + out);
        return JSON.readTree(out);
    }

    private static List<Integer> javaWorker(JdbcTrialStore store, String name) {
        Study study = Study.builder().store(store).name(name).loadIfExists(true)
                .sampler(TpeSampler.optuna5().seed(11).build()).pruner(new MedianPruner(3, 0, 1, 1)).create();
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < PER_WORKER; i++) {
            Trial t = study.ask();
            mine.add(t.number());
            double x = t.suggestFloat("x", -3.0, 3.0);
            long layer = t.suggestInt("layer", 0, 5);
            String method = t.suggestCategorical("method", List.of("CAA", "DAC"));
            double value = 0;
            boolean pruned = false;
            for (int step = 0; step < 8 && !pruned; step++) {
                value = floor(x, layer, method) + 2.0 / (step + 1);
                t.report(step, value);
                pruned = t.shouldPrune();
            }
            if (pruned) {
                study.tell(t, TrialState.PRUNED);
            } else {
                t.setUserAttr("worker", "java");
                study.tell(t, value);
            }
        }
        return mine;
    }

    @Test
    void twoPythonWorkersAndOneJavaWorkerShareAStudyOnSqlite() throws Exception {
        String python = OptunaVenv.python();
        assumeTrue(python != null, OptunaVenv.MISSING);
        shareAStudy(python, "sqlite:///" + dir.resolve("grpc.db").toAbsolutePath());
    }

    @Test
    @Tag("postgres")
    void twoPythonWorkersAndOneJavaWorkerShareAStudyOnPostgres() throws Exception {
        String python = OptunaVenv.python();
        assumeTrue(python != null, OptunaVenv.MISSING);
        shareAStudy(python, EmbeddedPostgres.newDatabaseUrl());
    }

    private void shareAStudy(String python, String url) throws Exception {
        String name = "interop";
        try (JdbcTrialStore serverStore = TrialStores.open(url, StoreOptions.DEFAULTS);
                JdbcTrialStore javaStore = TrialStores.open(url, StoreOptions.DEFAULTS);
                GrpcStorageServer server = GrpcStorageServer.start(serverStore, "127.0.0.1", 0, false)) {
            String port = String.valueOf(server.port());
            CompletableFuture<JsonNode> a = CompletableFuture.supplyAsync(() -> call(python, "optimize", "127.0.0.1",
                    port, name, String.valueOf(PER_WORKER), "1"));
            CompletableFuture<JsonNode> b = CompletableFuture.supplyAsync(() -> call(python, "optimize", "127.0.0.1",
                    port, name, String.valueOf(PER_WORKER), "2"));
            CompletableFuture<List<Integer>> j = CompletableFuture.supplyAsync(() -> javaWorker(javaStore, name));
            List<Integer> numbersA = numbers(a.get(15, TimeUnit.MINUTES));
            List<Integer> numbersB = numbers(b.get(15, TimeUnit.MINUTES));
            List<Integer> numbersJ = j.get(15, TimeUnit.MINUTES);

            // unique numbers, gap-free union, each side got its own trials
            Set<Integer> union = new TreeSet<>();
            union.addAll(numbersA);
            union.addAll(numbersB);
            union.addAll(numbersJ);
            assertEquals(3 * PER_WORKER, union.size(), "numbers overlap: " + numbersA + numbersB + numbersJ);
            assertEquals(0, ((TreeSet<Integer>) union).first());
            assertEquals(3 * PER_WORKER - 1, ((TreeSet<Integer>) union).last());

            List<FrozenTrial> ours = javaStore.getAllTrials(javaStore.getStudyId(name), null);
            JsonNode theirs = python(python, "dump", "127.0.0.1", port, name);
            assertEquals(ours.size(), theirs.size());
            int[] pruned = new int[2];   // python, java
            Set<Integer> javaSet = new HashSet<>(numbersJ);
            for (int k = 0; k < ours.size(); k++) {
                FrozenTrial t = ours.get(k);
                JsonNode p = theirs.get(k);
                assertEquals(t.number(), p.get("number").asInt());
                assertEquals(t.state().name(), p.get("state").asText(), "state of trial " + t.number());
                assertTrue(t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED, t.toString());
                if (t.state() == TrialState.PRUNED) {
                    pruned[javaSet.contains(t.number()) ? 1 : 0]++;
                } else {
                    assertEquals(t.value(), p.get("values").get(0).asDouble(), 0.0);
                    assertEquals(javaSet.contains(t.number()) ? "java" : "python", t.userAttrs().get("worker"));
                    assertEquals(8, t.intermediateValues().size(), "a COMPLETE trial reported 8 steps");
                }
                double x = (Double) t.params().get("x");
                long layer = (Long) t.params().get("layer");
                String method = (String) t.params().get("method");
                assertEquals(x, p.get("params").get("x").asDouble(), 0.0);
                assertEquals(layer, p.get("params").get("layer").asLong());
                assertEquals(method, p.get("params").get("method").asText());
                assertEquals(t.intermediateValues().size(), p.get("intermediate").size());
                for (Map.Entry<Integer, Double> iv : t.intermediateValues().entrySet()) {
                    double expected = floor(x, layer, method) + 2.0 / (iv.getKey() + 1);
                    assertEquals(expected, iv.getValue(), 1e-12, "trial " + t.number() + " step " + iv.getKey());
                    assertEquals(iv.getValue(), p.get("intermediate").get(String.valueOf(iv.getKey())).asDouble(), 0.0);
                }
            }
            System.out.printf("gRPC interop on %s: python A %d trials, python B %d, java %d; pruned python %d, java %d%n",
                    url.startsWith("sqlite") ? "SQLite" : "PostgreSQL", numbersA.size(), numbersB.size(),
                    numbersJ.size(), pruned[0], pruned[1]);
            assertTrue(pruned[0] > 0 && pruned[1] > 0, "both sides pruned: " + pruned[0] + ", " + pruned[1]);

            // Optuna's exceptions for misuse, through the proxy
            JsonNode errors = python(python, "errors", "127.0.0.1", port, name);
            assertEquals("DuplicatedStudyError", errors.get("duplicate").asText());
            assertEquals("KeyError", errors.get("unknown").asText());
            assertEquals("UpdateFinishedTrialError", errors.get("finished").asText());
            assertEquals("UpdateFinishedTrialError", errors.get("finished_state").asText());

            // a read-only server: reads work, writes are refused
            try (GrpcStorageServer ro = GrpcStorageServer.start(serverStore, "127.0.0.1", 0, true)) {
                String roPort = String.valueOf(ro.port());
                assertEquals(ours.size(), python(python, "dump", "127.0.0.1", roPort, name).size());
                JsonNode write = python(python, "write", "127.0.0.1", roPort, "new-study");
                assertEquals("PERMISSION_DENIED", write.get("write").asText(), write.toString());
                assertTrue(serverStore.findStudyId("new-study").isEmpty(), "the refused write wrote nothing");
            }
        }
    }

    private static JsonNode call(String python, String... args) {
        try {
            return python(python, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> numbers(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        n.get("numbers").forEach(v -> out.add(v.asInt()));
        return out;
    }
}
