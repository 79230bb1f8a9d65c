package dev.steeropt.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HookPoint names: canonical format, parse/format round trip, no shorthand. */
class HookPointTest {
    @Test
    void parseFormatRoundTripOverSeededLayers() {
        Random rnd = new Random(42);
        for (int i = 0; i < 500; i++) {
            int layers = 1 + rnd.nextInt(80);
            for (HookPoint p : HookPoint.all(layers, rnd.nextBoolean())) {
                assertEquals(p, HookPoint.parse(p.toString()));
                assertEquals(p.toString(), HookPoint.parse(p.toString()).toString());
            }
        }
    }

    @Test
    void canonicalNames() {
        assertEquals("blocks.12.hook_resid_post", HookPoint.residPost(12).toString());
        assertEquals("blocks.0.hook_attn_out", HookPoint.attnOut(0).toString());
        assertEquals("ln_final.hook_normalized", HookPoint.lnFinal().toString());
        assertEquals(3, HookPoint.parse("blocks.3.hook_mlp_out").layer());
        assertEquals("blocks.2.attn.hook_z", HookPoint.z(2).toString());
        assertEquals(HookPoint.z(7), HookPoint.parse("blocks.7.attn.hook_z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resid_post", "blocks.01.hook_resid_post", "blocks.-1.hook_resid_post", "blocks.3.hook_foo",
        "blocks.3.resid_post", "hook_embed ", "ln_final", "blocks..hook_mlp_out", "blocks.3.hook_embed", "blocks.3.hook_z",
        "blocks.3.attn.hook_attn_out", "attn.hook_z", "blocks.3.attn.hook_z.x"})
    void nonCanonicalNamesAreRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> HookPoint.parse(name));
    }

    @Test
    void firingOrderPerBlock() {
        assertEquals(List.of("hook_embed", "blocks.0.hook_resid_pre", "blocks.0.attn.hook_z", "blocks.0.hook_attn_out",
                "blocks.0.hook_resid_mid",
                "blocks.0.hook_mlp_out", "blocks.0.hook_resid_post", "ln_final.hook_normalized"),
                HookPoint.all(1, false).stream().map(HookPoint::toString).toList());
    }
}
