package dev.steeropt.studies.pipeline.multi;

import dev.steeropt.eval.stats.Holm;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.pipeline.TestEvaluation;
import dev.steeropt.studies.spec.MultiObjectiveSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The test stage of a multi-objective study: reads the validation front, applies the spec's pre-registered rule,
 * records the choice in the study ({@value #SELECTION_ATTR}) before anything is tested, then evaluates the chosen
 * configuration (and the {@code --test-also} ones) once each on the test split, both arms, both objectives.
 *
 * @param chosen     the chosen configuration's test evaluation
 * @param chosenPoint its validation point
 * @param evaluations every tested configuration's evaluation, in the rule's order (the chosen one first)
 * @param report     the {@code multi_objective} entry of {@code final_results.json}
 * @param validation the validation front it was chosen from
 */
public record FrontEvaluation(TestEvaluation chosen, FrontPoint chosenPoint, List<TestEvaluation> evaluations,
        MultiObjectiveReport report, ValidationFront validation) {

    /** Study system attribute: the rule, the baseline, and the trials it chose (recorded before the test runs). */
    public static final String SELECTION_ATTR = "steeropt:selection";

    /**
     * Runs the stage.
     *
     * @param tester evaluates one configuration on the test split (both arms; called once per tested configuration)
     */
    public static FrontEvaluation run(Study study, MultiObjectiveSpec spec, Function<TrialConfig, TestEvaluation> tester) {
        ValidationFront front = ValidationFront.of(study, spec);
        List<FrontPoint> picked = Selection.apply(spec.selection(), front, spec.testAlso());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("rule", spec.selection().toString());
        record.put("baseline_trial", front.baseline().trial());
        record.put("front_trials", front.front().stream().map(FrontPoint::trial).toList());
        record.put("chosen_trial", picked.get(0).trial());
        record.put("test_also_trials", picked.subList(1, picked.size()).stream().map(FrontPoint::trial).toList());
        if (spec.testAlso() >= picked.size()) {
            record.put("note", "the rule admits only " + picked.size() + " front point(s); --test-also asked for "
                    + spec.testAlso() + " more");
        }
        study.setSystemAttr(SELECTION_ATTR, record);
        List<TestEvaluation> evals = new ArrayList<>();
        for (FrontPoint p : picked) {
            evals.add(tester.apply(ParamMapping.fromParams(p.params())));
        }
        double[] accP = new double[evals.size()];
        double[] tokP = new double[evals.size()];
        List<TokensComparison> tokens = new ArrayList<>();
        for (int i = 0; i < evals.size(); i++) {
            accP[i] = evals.get(i).mcNemar().pValue();
            tokens.add(TokensComparison.of(evals.get(i)));
            tokP[i] = tokens.get(i).pValue();
        }
        double[] accHolm = Holm.adjust(accP);
        double[] tokHolm = Holm.adjust(tokP);
        List<MultiObjectiveReport.Tested> tested = new ArrayList<>();
        for (int i = 0; i < evals.size(); i++) {
            tested.add(new MultiObjectiveReport.Tested(i, picked.get(i), evals.get(i).summary(), tokens.get(i),
                    accHolm[i], tokHolm[i]));
        }
        MultiObjectiveReport report = new MultiObjectiveReport(MultiObjectiveReport.Objective.of(spec),
                spec.selection().toString(), front.baseline(), picked.get(0).trial(), front.front(), tested);
        return new FrontEvaluation(evals.get(0), picked.get(0), evals, report, front);
    }
}
