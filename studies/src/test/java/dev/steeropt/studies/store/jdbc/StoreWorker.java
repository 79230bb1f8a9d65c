package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A worker process for the multi-process tests: {@code StoreWorker URL STUDY N SEED [hang]} runs N trials
 * (create, two params, three reports, complete) on the shared study; with {@code hang} it then starts one more
 * trial, writes heartbeats every 100 ms, prints {@code RUNNING <trial id>} and waits to be killed.
 */
public final class StoreWorker {
    private StoreWorker() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String studyName = args[1];
        int n = Integer.parseInt(args[2]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[3]));
        boolean hang = args.length > 4 && args[4].equals("hang");
        StoreOptions options = hang ? StoreOptions.withHeartbeat(Duration.ofMillis(100)) : StoreOptions.DEFAULTS;
        try (JdbcTrialStore store = TrialStores.open(url, options)) {
            long study = store.getStudyId(studyName);
            FloatDistribution xDist = FloatDistribution.of(-4, 4);
            IntDistribution layerDist = IntDistribution.of(0, 23);
            for (int i = 0; i < n; i++) {
                long t = store.createTrial(study, null);
                double x = xDist.low() + rnd.nextDouble() * (xDist.high() - xDist.low());
                store.setTrialParam(t, "x", x, xDist);
                store.setTrialParam(t, "layer", rnd.nextInt(24), layerDist);
                for (int step = 0; step < 3; step++) {
                    store.setTrialIntermediateValue(t, step, x * x + 1.0 / (step + 1));
                    store.getAllTrials(study, null); // what a pruner does at every step
                }
                store.setTrialStateValues(t, TrialState.COMPLETE, List.of(x * x));
            }
            if (hang) {
                long t = store.createTrial(study, null);
                store.setTrialParam(t, "x", 1.25, xDist);
                store.setTrialParam(t, "layer", 7, layerDist);
                store.recordHeartbeat(t);
                System.out.println("RUNNING " + t);
                System.out.flush();
                while (true) {
                    Thread.sleep(100);
                    store.recordHeartbeat(t);
                }
            }
        }
    }
}
