package dev.steeropt.studies.analysis;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The once-only rule for a dataset's test split in one storage: {@code --split test} is refused when a study of the
 * storage already evaluated that dataset's test split (an {@code optimize} study with {@value StudyManager#TEST_ATTR},
 * or an earlier {@code analyze} run recorded here), unless {@code --allow-test}. Every {@code analyze} evaluation of a
 * test split is recorded, with the flag, as a system attribute {@value #ATTR_PREFIX}{@code <dataset>:<time>} of the
 * study {@value #LEDGER_STUDY}.
 */
public final class TestSplitGuard {
    /** The study that holds the {@code analyze} test evaluations. */
    public static final String LEDGER_STUDY = "steeropt-analyze-test-evaluations";
    /** Prefix of one recorded evaluation's attribute key. */
    public static final String ATTR_PREFIX = "steeropt:analyze_test:";

    private TestSplitGuard() {}

    /**
     * Checks and records one test evaluation of {@code dataset} by {@code command}.
     *
     * @throws UserFacingException (usage) naming the earlier evaluation when there is one and not {@code allowTest}
     */
    public static void claim(StorageUrl url, DatasetName dataset, String command, boolean allowTest) {
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            Optional<String> earlier = earlier(store, dataset);
            if (earlier.isPresent() && !allowTest) {
                throw UserFacingException.usage("The " + dataset.cliName() + " test split was already evaluated in "
                        + url.display() + " (" + earlier.get() + ")", "a test split is evaluated once, so that no"
                        + " choice is fitted to it", "Evaluate --split validation, or pass --allow-test to evaluate it"
                        + " again (recorded).");
            }
            long ledger = store.findStudyId(LEDGER_STUDY)
                    .orElseGet(() -> store.createStudy(LEDGER_STUDY, List.of(StudyDirection.MAXIMIZE)));
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("command", command);
            record.put("dataset", dataset.cliName());
            record.put("allow_test", allowTest);
            record.put("earlier", earlier.orElse(null));
            Instant now = Instant.now();
            record.put("time", now.toString());
            store.setStudySystemAttr(ledger, ATTR_PREFIX + dataset.cliName() + ":" + now, record);
        }
    }

    /** A description of an earlier test evaluation of {@code dataset} in the store, if any. */
    static Optional<String> earlier(JdbcTrialStore store, DatasetName dataset) {
        for (StudySummary s : store.getAllStudies()) {
            long id = s.studyId();
            Map<String, Object> attrs = store.getStudySystemAttrs(id);
            if (s.studyName().equals(LEDGER_STUDY)) {
                for (String key : attrs.keySet()) {
                    if (key.startsWith(ATTR_PREFIX + dataset.cliName() + ":")) {
                        Object cmd = attrs.get(key) instanceof Map<?, ?> m ? m.get("command") : "?";
                        return Optional.of("analyze " + cmd + ", "
                                + key.substring((ATTR_PREFIX + dataset.cliName() + ":").length()));
                    }
                }
            } else if (attrs.containsKey(StudyManager.TEST_ATTR) && attrs.get(Specs.ATTR) instanceof Map<?, ?> spec
                    && dataset.cliName().equals(String.valueOf(spec.get("dataset")))) {
                return Optional.of("optimize study '" + s.studyName() + "'");
            }
        }
        return Optional.empty();
    }
}
