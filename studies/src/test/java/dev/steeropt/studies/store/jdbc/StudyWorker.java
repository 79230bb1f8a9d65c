package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.time.Duration;
import java.util.List;

/**
 * A worker process running the optimizer's {@link Study#optimize} on a shared study with heartbeats (1 s, grace 2 s)
 * and the retry callback: {@code StudyWorker URL STUDY N SEED [HANG_AT]}. With {@code HANG_AT}, the objective of
 * trial number {@code HANG_AT} prints {@code RUNNING <number>} after suggesting its params and then blocks until the
 * process is killed.
 */
public final class StudyWorker {
    private StudyWorker() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int hangAt = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        StoreOptions hb = new StoreOptions(Duration.ofSeconds(1), Duration.ofSeconds(2), true);
        try (JdbcTrialStore store = TrialStores.open(url, hb)) {
            Study study = Study.builder().store(store).name(args[1]).direction(StudyDirection.MINIMIZE)
                    .loadIfExists(true).sampler(new RandomSampler(Long.parseLong(args[3]))).pruner(new NopPruner())
                    .staleTrialCallback(new RetryFailedTrialCallback(null, false)).create();
            study.optimize(trial -> {
                double x = trial.suggestFloat("x", -4, 4);
                long layer = trial.suggestInt("layer", 0, 23);
                if (trial.number() == hangAt) {
                    System.out.println("RUNNING " + trial.number());
                    System.out.flush();
                    while (true) {
                        Thread.sleep(1000);
                    }
                }
                return x * x + layer;
            }, Integer.parseInt(args[2]), null, List.of(), List.of());
        }
    }
}
