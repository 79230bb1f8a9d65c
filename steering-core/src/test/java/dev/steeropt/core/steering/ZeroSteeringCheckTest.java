package dev.steeropt.core.steering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.testing.Fixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zero-steering check passes on the real path and reports a deliberately broken one. */
class ZeroSteeringCheckTest {

    @Test
    void passesInTheProductionConfigurationAndCatchesAnEpsilon() {
        for (String name : new String[] {"tiny-llama-fp32", "tiny-qwen2-fp32", "tiny-gpt2-fp32"}) {
            try (LoadedModel model = LoadedModel.load(Fixture.modelDir(name))) {
                PromptBatch prompts = SteeredGenerationTest.prompts();
                float[] v = new float[64];
                v[3] = 1f;
                SteeringVector vector = SteeringVector.of(1, v, Map.of());
                ZeroSteeringCheck.Report ok = ZeroSteeringCheck.run(model, prompts, vector, 6);
                assertTrue(ok.passed(), name + "\n" + ok.table());
                assertEquals(6, ok.rows().size(), "3 CAA position modes, DAC, DAC seed-compat, control");
                ZeroSteeringCheck.Row controlRow = ok.rows().get(5);
                assertFalse(controlRow.expectIdentical());
                assertTrue(controlRow.maxAbsLogitDiff() > 0, ok.table());

                ZeroSteeringCheck.Report broken = ZeroSteeringCheck.run(model, prompts, vector, 6, true,
                        ZeroSteeringCheck.faultInjecting(1e-3f));
                assertFalse(broken.passed(), broken.table());
                for (int i = 0; i < 5; i++) {
                    ZeroSteeringCheck.Row r = broken.rows().get(i);
                    assertFalse(r.passed(), "zero row " + i + " must be a mismatch under the injected fault\n" + broken.table());
                    assertTrue(r.maxAbsLogitDiff() > 0);
                }
                assertTrue(broken.table().contains("MISMATCH"));
            }
        }
    }
}
