package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The trials a TPE step learns from: the COMPLETE and PRUNED ones, and with the constant liar also the RUNNING ones
 * other than the trial being sampled.
 *
 * <p>Without the constant liar these are exactly the finished trials that {@link TpeSampler#inferRelativeSearchSpace}
 * reads, and the {@link TpeSampler#sampleRelative} of the same trial comes next: the list read for the one is kept
 * and handed to the other, so an ask reads the store once. Not thread-safe (the sampler serialises its calls).
 */
final class LearningTrials {
    private static final Set<TrialState> LEARN = EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED);
    private static final Set<TrialState> LEARN_LIAR = EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED,
            TrialState.RUNNING);

    private final boolean constantLiar;
    /** The learning trials read by the last inferRelativeSearchSpace, and the trial id they were read for. */
    private List<FrozenTrial> inferredTrials;
    private long inferredFor = -1;
    private StudyKey inferredStudy;

    LearningTrials(boolean constantLiar) {
        this.constantLiar = constantLiar;
    }

    /** The study's COMPLETE and PRUNED trials. */
    static List<FrozenTrial> finished(Study study) {
        return study.trials(LEARN);
    }

    /**
     * The finished trials the relative search space of {@code trial} is built from; without the constant liar they
     * are kept for the {@link #forRelativeSample} of the same trial.
     */
    List<FrozenTrial> forSearchSpace(Study study, FrozenTrial trial) {
        List<FrozenTrial> done = finished(study);
        if (!constantLiar) { // sampleRelative of this trial comes next and learns from the same trials
            inferredTrials = done;
            inferredFor = trial.trialId();
            inferredStudy = StudyKey.of(study);
        }
        return done;
    }

    /**
     * The trials the relative sample of {@code trial} learns from: those {@link #forSearchSpace} kept for this trial
     * of this study, else {@link #read} now. Forgets the kept ones either way.
     */
    List<FrozenTrial> forRelativeSample(Study study, FrozenTrial trial) {
        boolean same = !constantLiar && trial.trialId() == inferredFor && StudyKey.of(study).equals(inferredStudy);
        List<FrozenTrial> trials = same ? inferredTrials : read(study, trial);
        inferredFor = -1;
        inferredTrials = null;
        return trials;
    }

    /** The trials a sample of {@code current} learns from, read from the store now. */
    List<FrozenTrial> read(Study study, FrozenTrial current) {
        List<FrozenTrial> all = study.trials(constantLiar ? LEARN_LIAR : LEARN);
        if (!constantLiar) {
            return all;
        }
        List<FrozenTrial> out = new ArrayList<>(all.size());
        for (FrozenTrial t : all) {
            if (t.trialId() != current.trialId()) {
                out.add(t);
            }
        }
        return out;
    }

    /** How many of {@code trials} are finished (not RUNNING): the count start-up and gamma go by. */
    static int countFinished(List<FrozenTrial> trials) {
        int n = 0;
        for (FrozenTrial t : trials) {
            if (t.state() != TrialState.RUNNING) {
                n++;
            }
        }
        return n;
    }
}
