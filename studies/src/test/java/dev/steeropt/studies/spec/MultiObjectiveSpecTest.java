package dev.steeropt.studies.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.optimizer.samplers.ga.NsgaIISampler;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-objective and NSGA-II parts of {@link StudySpec}. */
class MultiObjectiveSpecTest {
    private static final MultiObjectiveSpec MULTI = new MultiObjectiveSpec(List.of(ObjectiveKind.ACCURACY,
            ObjectiveKind.TOKENS), SelectionRule.parse("min-tokens-within-accuracy:0.02"), 2);

    private static StudySpec spec(SamplerKind sampler, PrunerKind pruner, MultiObjectiveSpec multi) {
        StudySpec s = StudySpecTest.spec();
        return new StudySpec(s.model(), s.modelSha256(), DatasetName.SYNTHETIC, s.splits(), s.prompt(), 0,
                s.pairBuilder(), s.searchSpace(), new StudySpec.Search(sampler, 4, pruner, 1, 0, 25), s.metric(),
                s.chunks(), s.maxNewTokens(), s.seed(), s.budget(), s.steerPositions(), multi);
    }

    /** Catches: a new key (even null) in single-objective specs, which would make every stored study unresumable. */
    @Test
    void singleObjectiveSpecsKeepTheirJson() {
        String json = Specs.toJson(StudySpecTest.spec());
        assertFalse(json.contains("multi_objective"), json);
        assertFalse(json.contains("nsga2"), json);
        assertEquals(List.of(StudyDirection.MAXIMIZE), StudySpecTest.spec().directions());
    }

    @Test
    void multiObjectiveSpecRoundTripsAndIsPartOfTheIdentity() {
        StudySpec s = spec(SamplerKind.TPE, PrunerKind.NONE, MULTI);
        assertEquals(s, Specs.fromTree(Specs.toTree(s)));
        assertEquals("min-tokens-within-accuracy:0.02", Specs.toTree(s).at("/multi_objective/selection").asText());
        assertEquals(List.of(StudyDirection.MAXIMIZE, StudyDirection.MINIMIZE), s.directions());
        StudySpec knee = spec(SamplerKind.TPE, PrunerKind.NONE, new MultiObjectiveSpec(MULTI.objectives(),
                SelectionRule.knee(), 2));
        assertEquals(List.of("multi_objective.selection: \"min-tokens-within-accuracy:0.02\" -> \"knee\""),
                Specs.diff(s, knee));
        StudySpec reversed = spec(SamplerKind.TPE, PrunerKind.NONE, new MultiObjectiveSpec(List.of(
                ObjectiveKind.TOKENS, ObjectiveKind.ACCURACY), MULTI.selection(), 2));
        assertEquals(List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE), reversed.directions());
        assertEquals(1, reversed.multiObjective().index(ObjectiveKind.ACCURACY));
    }

    /** Catches: a pruner silently kept (Trial.report would throw in every trial) or silently dropped. */
    @Test
    void aPrunerIsRefused() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> spec(SamplerKind.TPE, PrunerKind.MEDIAN,
                MULTI));
        assertTrue(e.getMessage().contains("--pruner median cannot prune a multi-objective study"), e.getMessage());
    }

    @Test
    void objectivesMustBeAccuracyAndTokensOnce() {
        assertThrows(UserFacingException.class, () -> new MultiObjectiveSpec(List.of(ObjectiveKind.ACCURACY,
                ObjectiveKind.ACCURACY), SelectionRule.knee(), 0));
        assertThrows(UserFacingException.class, () -> new MultiObjectiveSpec(List.of(ObjectiveKind.TOKENS),
                SelectionRule.knee(), 0));
        assertThrows(UserFacingException.class, () -> new MultiObjectiveSpec(MULTI.objectives(), SelectionRule.knee(),
                -1));
    }

    /** Catches: NSGA-II options not reaching the sampler, or the sampler kind mapping to another sampler. */
    @Test
    void nsga2IsBuiltWithTheSpecsOptions() {
        StudySpec s = spec(SamplerKind.NSGA2, PrunerKind.NONE, MULTI);
        assertEquals(StudySpec.Nsga2.defaults(), s.search().nsga2());
        assertInstanceOf(NsgaIISampler.class, SearchAlgorithms.sampler(s));
        assertEquals(s, Specs.fromTree(Specs.toTree(s)));
        assertEquals(50, Specs.toTree(s).at("/search/nsga2/population_size").asInt());
        assertEquals("uniform", Specs.toTree(s).at("/search/nsga2/crossover").asText());
        assertThrows(IllegalArgumentException.class, () -> new StudySpec.Search(SamplerKind.TPE, 4, PrunerKind.NONE,
                1, 0, 25, StudySpec.Nsga2.defaults()));
        assertThrows(UserFacingException.class, () -> new StudySpec.Nsga2(1, CrossoverKind.SBX, 0.9, null, 0.5));
        assertThrows(UserFacingException.class, () -> new StudySpec.Nsga2(8, CrossoverKind.SBX, 1.5, null, 0.5));
    }
}
