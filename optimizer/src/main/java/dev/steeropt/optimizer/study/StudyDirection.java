package dev.steeropt.optimizer.study;

/** Whether an objective is minimised or maximised (stored by name, as Optuna does). */
public enum StudyDirection {
    MINIMIZE,
    MAXIMIZE;

    /** Parses "minimize"/"maximize" in any case; throws naming the accepted values. */
    public static StudyDirection parse(String s) {
        for (StudyDirection d : values()) {
            if (d.name().equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + s + "' (expected minimize or maximize)");
    }
}
