package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.Study;

/** Identifies a study across {@link Study} handles (a sampler may serve several studies or stores). */
record StudyKey(TrialStore store, long studyId) {

    static StudyKey of(Study study) {
        return new StudyKey(study.store(), study.studyId());
    }
}
