package dev.steeropt.optimizer.importance;

/** The importance algorithms, by their command-line names. */
public enum ImportanceMethod {
    /** PED-ANOVA (Optuna 5's default). */
    PED_ANOVA("ped-anova"),
    /** fANOVA over a random forest of 64 trees of depth at most 64 (Optuna 4's default). */
    FANOVA("fanova");

    private final String cliName;

    ImportanceMethod(String cliName) {
        this.cliName = cliName;
    }

    /** The name users type ({@code ped-anova}, {@code fanova}). */
    public String cliName() {
        return cliName;
    }

    /** An evaluator with Optuna's defaults; {@code seed} drives fANOVA's forest (PED-ANOVA is deterministic). */
    public ImportanceEvaluator create(long seed) {
        return switch (this) {
            case PED_ANOVA -> new PedAnovaImportanceEvaluator();
            case FANOVA -> FanovaImportanceEvaluator.builder().seed(seed).build();
        };
    }

    /** The method named {@code name}, or {@code null}. */
    public static ImportanceMethod fromCliName(String name) {
        for (ImportanceMethod m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
