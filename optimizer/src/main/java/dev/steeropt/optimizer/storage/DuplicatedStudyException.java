package dev.steeropt.optimizer.storage;

/** A study with this name already exists (Optuna's DuplicatedStudyError). */
public final class DuplicatedStudyException extends StorageException {
    private static final long serialVersionUID = 1L;

    public DuplicatedStudyException(String studyName) {
        super("Study '" + studyName + "' already exists. Choose another --study-name, or load it instead "
                + "(optimize resumes an existing study; create-study takes --skip-if-exists).");
    }
}
