package dev.steeropt.core.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The benchmark's prompt layout, figure arithmetic, RSS parsing and baseline lookup (nothing here is timed). */
class BenchSupportTest {

    @Test
    void promptsFollowTheProtocol() {
        BenchPrompts one = BenchPrompts.make(1, 49152, 1001);
        assertEquals(160, one.row(0).length, "batch 1 is exactly 160 tokens");
        BenchPrompts p = BenchPrompts.make(32, 49152, 1032);
        assertEquals(32, p.batch());
        assertEquals(160, p.row(0).length, "row 0 is 160 tokens");
        boolean shorter = false;
        for (int b = 0; b < 32; b++) {
            int len = p.row(b).length;
            assertTrue(len >= 144 && len <= 160, "row " + b + " has " + len + " tokens");
            shorter |= len < 160;
            int pad = 160 - len;
            for (int t = 0; t < 160; t++) {
                assertEquals(t >= pad ? 1 : 0, p.mask()[b][t]);
                if (t < pad) {
                    assertEquals(0, p.ids()[b][t], "pad id 0");
                } else {
                    assertTrue(p.ids()[b][t] >= 1 && p.ids()[b][t] < 49152, "ids in [1, vocab)");
                }
            }
        }
        assertTrue(shorter, "some rows are left-padded");
        BenchPrompts again = BenchPrompts.make(32, 49152, 1032);
        for (int b = 0; b < 32; b++) {
            assertArrayEquals(p.ids()[b], again.ids()[b], "seeded");
        }
    }

    @Test
    void figuresUseMediansAsHfBenchDoes() {
        // hf-bench: tok_s = B*128/median(plain), decode = B*127/(median(plain)-median(gen1)), ratio = plain/steered
        GenerateFigures f = new GenerateFigures(8, new double[] {14.28, 14.53, 14.55},
                new double[] {14.44, 14.21, 14.75}, new double[] {1.931, 1.758, 1.819}, 0.67);
        assertEquals(8 * 128 / 14.53, f.tokS(), 1e-12);
        assertEquals(8 * 127 / (14.53 - 1.819), f.decodeOnlyTokS(), 1e-12);
        assertEquals(14.53 / 14.44, f.steeredOverPlain(), 1e-12);
        // the baseline's own b8 figures, recomputed from its raw times: 70.45 / 79.9 / 1.007
        assertEquals(70.45, f.tokS(), 0.05); // the raw times are rounded to 4 digits
        assertEquals(79.9, f.decodeOnlyTokS(), 0.05);
        assertEquals(1.006, f.steeredOverPlain(), 0.001);
        assertEquals(2.5, GenerateFigures.median(new double[] {4, 1, 3, 2}), 0);
        assertThrows(IllegalArgumentException.class, () -> new GenerateFigures(1, new double[0], new double[] {1},
                new double[] {1}, 0));
    }

    @Test
    void parsesProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t   100000 kB\n";
        assertEquals(OptionalLong.of(123456), ProcessMemory.parse(status, "VmHWM:"));
        assertEquals(OptionalLong.of(100000), ProcessMemory.parse(status, "VmRSS:"));
        assertFalse(ProcessMemory.parse(status, "VmSwap:").isPresent());
        // on Linux the live values exist and peak >= current
        OptionalLong now = ProcessMemory.rssKb(); // read first: the later peak is at least this
        OptionalLong peak = ProcessMemory.peakRssKb();
        assertTrue(peak.isPresent() && now.isPresent(), "/proc/self/status readable");
        assertTrue(peak.getAsLong() >= now.getAsLong());
    }

    @Test
    void findsTheBaselineByParameterCount() {
        String shared = System.getProperty("steeropt.shared");
        assertTrue(shared != null, "steeropt.shared is not set");
        Path file = Path.of(shared, "baselines/perf-baseline.json");
        PerfBaseline smol = PerfBaseline.forParameterCount(file, 134_515_008L).orElseThrow();
        assertEquals("smollm2-135m-shape", smol.shapeName());
        assertEquals(16.71, smol.generateTokS(1).getAsDouble());
        assertEquals(128.9, smol.decodeOnlyTokS(32).getAsDouble());
        assertEquals(1.007, smol.steeredOverPlain(8).getAsDouble());
        assertEquals(726.2, smol.prefillKeep1TokS().getAsDouble());
        assertEquals(509.7, smol.prefillFullTokS().getAsDouble());
        assertEquals(2488.5, smol.peakRssTotalMb().getAsDouble());
        PerfBaseline qwen = PerfBaseline.forParameterCount(file, 494_032_768L).orElseThrow();
        assertEquals("qwen2.5-0.5b-shape", qwen.shapeName());
        assertEquals(60.06, qwen.decodeOnlyTokS(32).getAsDouble());
        assertFalse(qwen.generateTokS(4).isPresent());
        assertTrue(PerfBaseline.forParameterCount(file, 12345).isEmpty());
    }
}
