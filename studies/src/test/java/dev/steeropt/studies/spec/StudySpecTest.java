package dev.steeropt.studies.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.pruners.MedianPruner;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.pruners.PercentilePruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudySpecTest {

    static StudySpec spec(SearchSpaceSpec space, String sampler, String pruner) {
        return new StudySpec("/models/m", "abc", DatasetName.SYNTHETIC, new StudySpec.Splits(32, 24, 48, 7), PromptKind.ZERO_SHOT_COT, 0,
                PairBuilder.GOLD_VS_CORRUPTED_ANSWER, space, new StudySpec.Search(SamplerKind.parse(sampler), 4, PrunerKind.parse(pruner), 1, 0, 25), Metric.FLEXIBLE, 4, 48, 7,
                new StudySpec.Budget(12, 0, 1));
    }

    static StudySpec spec() {
        return spec(SearchSpaceSpec.defaults(4), "tpe", "median");
    }

    @Test
    void jsonRoundTripKeepsEveryFieldAndUsesSnakeCase() {
        StudySpec s = spec();
        String json = Specs.toJson(s);
        assertTrue(json.contains("\"search_space\""), json);
        assertTrue(json.contains("\"top_p\" : [ 0.5, 0.95 ]"), json);
        assertTrue(json.contains("\"max_new_tokens\" : 48"), json);
        assertEquals(s, Specs.fromTree(Specs.toTree(s)));
        assertEquals(s, Specs.fromAttr(Specs.toAttr(s)), "the Map stored as a study attribute reads back");
        assertEquals(s, Specs.fromAttr(json), "a JSON string attribute reads back");
    }

    @Test
    void steerPositionsDefaultToTheLastPromptTokenAndAStoredSpecWithoutThemResumes() {
        StudySpec s = spec();
        assertEquals(SteerPositions.FROM_LAST_PROMPT_TOKEN, s.steerPositions());
        assertEquals("from_last_prompt_token", Specs.toTree(s).get("steer_positions").asText());
        ObjectNode old = (ObjectNode) Specs.toTree(s);
        old.remove("steer_positions"); // as written before the field existed
        assertEquals(s, Specs.fromTree(old));
        assertTrue(Specs.diff(Specs.fromTree(old), s).isEmpty());
        StudySpec all = s.withSteerPositions(SteerPositions.ALL);
        assertEquals(SteerPositions.ALL, all.steerPositions());
        assertEquals(all, Specs.fromTree(Specs.toTree(all)));
        assertEquals(List.of("steer_positions: \"from_last_prompt_token\" -> \"all\""), Specs.diff(s, all),
                "the positions change the maths, so they are part of the identity");
        assertEquals(SteerPositions.FROM_LAST_PROMPT_TOKEN, PositionsJson.parse("from-last-prompt-token"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> PositionsJson.parse("prompt"));
        assertTrue(e.getMessage().contains("steer positions") && e.getMessage().contains("all"), e.getMessage());
    }

    @Test
    void defaultSpaceCoversEveryLayerNegativeAlphaAndZero() {
        SearchSpaceSpec d = SearchSpaceSpec.defaults(30);
        assertEquals(0, d.layerLow());
        assertEquals(29, d.layerHigh());
        assertTrue(d.alpha().contains(0) && d.alpha().contains(-4) && d.alpha().contains(4));
        assertEquals(List.of(SteerMethod.CAA, SteerMethod.DAC), d.method());
        assertTrue(d.temperature().contains(0), "temperature 0 = greedy is in the space");
    }

    @Test
    void diffListsEachChangedLeafAndIgnoresTheBudget() {
        StudySpec a = spec();
        assertTrue(Specs.diff(a, a.withBudget(new StudySpec.Budget(50, 600, 3))).isEmpty(),
                "more trials, a timeout or more workers resume the same study");
        StudySpec b = spec(Specs.overlay(SearchSpaceSpec.defaults(4), "{\"alpha\":[-2,2]}"), "random", "median");
        List<String> diff = Specs.diff(a, b);
        assertEquals(List.of("search.sampler: \"tpe\" -> \"random\"", "search_space.alpha: [-4.0,4.0] -> [-2.0,2.0]"),
                diff);
    }

    @Test
    void overlayReplacesOnlyTheGivenKeysAndValidates() {
        SearchSpaceSpec s = Specs.overlay(SearchSpaceSpec.defaults(8), "{\"layer\":[2,5],\"method\":[\"caa\"]}");
        assertEquals(2, s.layerLow());
        assertEquals(5, s.layerHigh());
        assertEquals(List.of(SteerMethod.CAA), s.method(), "names are read case-insensitively");
        assertEquals(Range.of(-4, 4), s.alpha());
        UserFacingException unknownKey = assertThrows(UserFacingException.class,
                () -> Specs.overlay(SearchSpaceSpec.defaults(8), "{\"beta\":[0,1]}"));
        assertTrue(unknownKey.getMessage().contains("Unknown search-space key 'beta'"), unknownKey.getMessage());
        UserFacingException badMethod = assertThrows(UserFacingException.class,
                () -> Specs.overlay(SearchSpaceSpec.defaults(8), "{\"method\":[\"ITI\"]}"));
        assertTrue(badMethod.getMessage().contains("Unknown steering method 'ITI'")
                && badMethod.getMessage().contains("known: CAA, DAC"), badMethod.getMessage());
        assertThrows(UserFacingException.class, () -> Specs.overlay(SearchSpaceSpec.defaults(8), "{\"alpha\":[3,1]}"));
        assertThrows(UserFacingException.class, () -> Specs.overlay(SearchSpaceSpec.defaults(8), "not json"));
        assertThrows(UserFacingException.class, () -> SearchSpaceSpec.defaults(4).withLayers(2, 9).requireLayersWithin(4));
    }

    @Test
    void unknownSamplerOrPrunerIsAnErrorListingTheKnownOnesNeverAFallback() {
        UserFacingException s = assertThrows(UserFacingException.class,
                () -> spec(SearchSpaceSpec.defaults(4), "cmaes", "median"));
        assertTrue(s.getMessage().contains("Unknown sampler 'cmaes'") && s.getMessage().contains("tpe, random, grid"),
                s.getMessage());
        assertEquals(UserFacingException.USAGE, s.exitCode());
        UserFacingException p = assertThrows(UserFacingException.class,
                () -> spec(SearchSpaceSpec.defaults(4), "tpe", "hyperband"));
        assertTrue(p.getMessage().contains("median, percentile, none"), p.getMessage());
    }

    @Test
    void namesMapToTheConfiguredAlgorithms() {
        assertInstanceOf(TpeSampler.class, SearchAlgorithms.sampler(spec()));
        assertEquals(7L, ((TpeSampler) SearchAlgorithms.sampler(spec())).seed(), "the study seed seeds TPE");
        assertInstanceOf(RandomSampler.class, SearchAlgorithms.sampler(spec(SearchSpaceSpec.defaults(4), "random",
                "none")));
        assertInstanceOf(MedianPruner.class, SearchAlgorithms.pruner(spec().search()));
        assertInstanceOf(NopPruner.class, SearchAlgorithms.pruner(new StudySpec.Search(SamplerKind.TPE, 1, PrunerKind.NONE, 1, 0, 25)));
        PercentilePruner pp = (PercentilePruner) SearchAlgorithms.pruner(new StudySpec.Search(SamplerKind.TPE, 1, PrunerKind.PERCENTILE,
                1, 0, 25));
        assertTrue(!(pp instanceof MedianPruner));
    }

    @Test
    void gridCoversLayersAlphasIncludingZeroAndOneTopP() {
        var g = SearchAlgorithms.grid(SearchSpaceSpec.defaults(2));
        assertEquals(List.of(0L, 1L), g.get("layer"));
        assertEquals(List.of(-4.0, -2.0, 0.0, 2.0, 4.0), g.get("alpha"));
        assertEquals(List.of("CAA", "DAC"), g.get("method"));
        assertEquals(List.of(0.0, 1.0), g.get("temperature"));
        assertEquals(1, g.get("top_p").size(), "CAA trials never suggest top_p, so one value avoids duplicate points");
        assertInstanceOf(dev.steeropt.optimizer.samplers.GridSampler.class,
                SearchAlgorithms.sampler(spec(SearchSpaceSpec.defaults(2), "grid", "none")));
    }

    @Test
    void unknownPairBuilderIsRefused() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> new StudySpec("/m", "x", DatasetName.GSM8K,
                new StudySpec.Splits(4, 2, 1, 0), PromptKind.ZERO_SHOT_COT, 0, PairBuilder.parse("pca"), SearchSpaceSpec.defaults(4),
                new StudySpec.Search(SamplerKind.TPE, 4, PrunerKind.MEDIAN, 1, 0, 25), Metric.FLEXIBLE, 1, 8, 0, new StudySpec.Budget(1, 0, 1)));
        assertTrue(e.getMessage().contains("gold_vs_corrupted_answer, answer_off_by_one"), e.getMessage());
    }

    @Test
    void invalidSpecsCannotExist() {
        SearchSpaceSpec d = SearchSpaceSpec.defaults(4);
        StudySpec.Search search = new StudySpec.Search(SamplerKind.TPE, 4, PrunerKind.MEDIAN, 1, 0, 25);
        StudySpec.Budget budget = new StudySpec.Budget(1, 0, 1);
        // MATH-500 has one split, which StudyData cuts by the split seed: a valid study dataset
        assertEquals(DatasetName.MATH500, new StudySpec("/m", "x", DatasetName.MATH500, new StudySpec.Splits(1, 1, 1, 0),
                PromptKind.ZERO_SHOT_COT, 0, PairBuilder.ANSWER_OFF_BY_ONE, d, search, Metric.FLEXIBLE, 1, 8, 0, budget)
                .dataset());
        UserFacingException none = assertThrows(UserFacingException.class, () -> new StudySpec("/m", "x", null,
                new StudySpec.Splits(1, 1, 1, 0), PromptKind.ZERO_SHOT_COT, 0, PairBuilder.ANSWER_OFF_BY_ONE, d, search,
                Metric.FLEXIBLE, 1, 8, 0, budget));
        assertTrue(none.getMessage().contains("No dataset given") && none.getMessage().contains("gsm8k, synthetic,"
                + " math500"), none.getMessage());
        assertThrows(UserFacingException.class, () -> new StudySpec("/m", "x", DatasetName.GSM8K, new StudySpec.Splits(1, 2, 1, 0),
                PromptKind.ZERO_SHOT_COT, 0, PairBuilder.ANSWER_OFF_BY_ONE, d, search, Metric.FLEXIBLE, 3, 8, 0, budget), "more chunks than validation items");
        assertThrows(UserFacingException.class, () -> new StudySpec("/m", "x", DatasetName.GSM8K, new StudySpec.Splits(4, 2, 1, 0),
                PromptKind.K_SHOT, 5, PairBuilder.ANSWER_OFF_BY_ONE, d, search, Metric.FLEXIBLE, 1, 8, 0, budget), "k above the train size");
        assertThrows(UserFacingException.class, () -> new StudySpec("/m", "x", DatasetName.GSM8K, new StudySpec.Splits(4, 2, 1, 0),
                PromptKind.ZERO_SHOT_COT, 0, PairBuilder.ANSWER_OFF_BY_ONE, d, search, Metric.parse("exact"), 1, 8, 0, budget), "unknown metric");
        assertThrows(UserFacingException.class, () -> new StudySpec.Splits(0, 2, 1, 0));
        assertThrows(UserFacingException.class, () -> new StudySpec.Budget(0, 0, 1));
    }
}
