package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void printsAtMostEveryTwoSecondsWithEtaAndAlwaysTheFinalLine() {
        AtomicLong now = new AtomicLong();
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out, true), now::get);
        p.start("stage", 4);
        now.addAndGet(1_000_000_000L);
        p.advance(1); // 1 s after the start: too soon for a line
        now.addAndGet(2_000_000_000L);
        p.advance(1); // 3 s: 2 of 4 done at 1.5 s each -> ETA 3 s
        now.addAndGet(500_000_000L);
        p.advance(1); // 0.5 s after the last line: silent
        now.addAndGet(500_000_000L);
        p.advance(1); // complete: always printed
        assertEquals(List.of("stage: 0/4", "stage: 2/4 (50%), 3.0 s elapsed, ETA 3.0 s",
                "stage: 4/4 (100%), 4.0 s elapsed, done"), out.toString().lines().toList());
    }
}
