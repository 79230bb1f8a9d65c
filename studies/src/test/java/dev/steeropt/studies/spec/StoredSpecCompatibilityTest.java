package dev.steeropt.studies.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.errors.UserFacingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Studies keep resuming across the move to enums: a spec JSON as the string-typed code stored it (captured from
 * commit ad84e4f) reads into the same closed-set members and writes back byte for byte.
 */
class StoredSpecCompatibilityTest {
    /** Specs.JSON.writeValueAsString(Specs.toAttr(spec)) of the string-typed StudySpec. */
    static final String STORED = "{\"budget\":{\"n_trials\":12,\"n_workers\":1,\"timeout_seconds\":0},\"chunks\":4,\"dataset\":\"gsm8k\",\"k_shot\":3,\"max_new_tokens\":48,\"metric\":\"strict\",\"model\":\"/models/m\",\"model_sha256\":\"abc\",\"pair_builder\":\"answer_off_by_one\",\"prompt\":\"k-shot\",\"search\":{\"percentile\":25.0,\"pruner\":\"percentile\",\"pruner_startup_trials\":1,\"pruner_warmup_steps\":0,\"sampler\":\"grid\",\"sampler_startup_trials\":4},\"search_space\":{\"alpha\":[-4.0,4.0],\"layer\":[0.0,3.0],\"method\":[\"DAC\",\"CAA\"],\"temperature\":[0.0,1.0],\"top_p\":[0.5,0.95]},\"seed\":7,\"splits\":{\"seed\":7,\"test\":48,\"train\":32,\"validation\":24},\"steer_positions\":\"all\"}";

    @Test
    void aSpecStoredBeforeTheEnumsReadsTheSameAndWritesBackIdentically() throws Exception {
        StudySpec s = Specs.fromAttr(STORED);
        assertEquals(PromptKind.K_SHOT, s.prompt());
        assertEquals(PairBuilder.ANSWER_OFF_BY_ONE, s.pairBuilder());
        assertEquals(SamplerKind.GRID, s.search().sampler());
        assertEquals(PrunerKind.PERCENTILE, s.search().pruner());
        assertEquals(List.of(SteerMethod.DAC, SteerMethod.CAA), s.searchSpace().method());
        assertEquals(List.of("DAC", "CAA"), s.searchSpace().methodChoices(), "trial params keep the strings");
        assertEquals(dev.steeropt.core.hooks.SteerPositions.ALL, s.steerPositions());
        assertEquals(STORED, Specs.JSON.writeValueAsString(Specs.toAttr(s)));
        assertEquals(Specs.identity(s), Specs.identity(Specs.fromAttr(Specs.toAttr(s))));
    }

    @Test
    void namesReadCaseInsensitivelyAndUnknownOnesAreUsageErrors() {
        assertEquals(SamplerKind.TPE, SamplerKind.parse(" TPE "));
        assertEquals(PromptKind.ZERO_SHOT_COT, PromptKind.parse("zero_shot_cot"));
        assertEquals(SteerMethod.DAC, SteerMethod.parse("dac"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> PrunerKind.parse("hyperband"));
        assertTrue(e.getMessage().contains("median, percentile, none"), e.getMessage());
        UserFacingException stored = assertThrows(UserFacingException.class,
                () -> Specs.fromAttr(STORED.replace("\"sampler\":\"grid\"", "\"sampler\":\"cmaes\"")));
        assertTrue(stored.getMessage().contains("tpe, random, grid"), stored.getMessage());
    }
}
