package dev.steeropt.studies.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.service.ServiceFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each study plot draws, read back from the chart's datasets and axes. */
class StudyChartsTest {
    static List<FrozenTrial> trials;
    static StudyCharts charts;

    @BeforeAll
    static void study() {
        InMemoryTrialStore store = new InMemoryTrialStore();
        long id = ServiceFixture.study(store, "s", 120, 5);
        trials = store.getAllTrials(id, null);
        charts = new StudyCharts("s", trials, List.of(StudyDirection.MAXIMIZE), 0, "value");
    }

    @Test
    void historyHasEveryCompleteTrialAndTheRunningMaximum() {
        XYDataset d = ((XYPlot) charts.history().getPlot()).getDataset();
        List<FrozenTrial> complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        assertEquals(complete.size(), d.getItemCount(0));
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < complete.size(); i++) {
            best = Math.max(best, complete.get(i).value());
            assertEquals(complete.get(i).number(), d.getXValue(0, i), 0.0);
            assertEquals(best, d.getYValue(1, i), 0.0, "best so far of a maximised study at " + i);
        }
    }

    @Test
    void slicesUseLogAndCategoryAxesWhereTheDistributionSaysSo() {
        assertTrue(((XYPlot) charts.slice("lr").getPlot()).getDomainAxis() instanceof LogAxis);
        assertTrue(((XYPlot) charts.slice("method").getPlot()).getDomainAxis() instanceof SymbolAxis);
        assertTrue(!(((XYPlot) charts.slice("x").getPlot()).getDomainAxis() instanceof LogAxis));
        assertThrows(IllegalArgumentException.class, () -> charts.slice("nope"));
    }

    @Test
    void contourCellsAreTheMeanOfTheTrialsInThem() {
        XYZDataset d = (XYZDataset) ((XYPlot) charts.contour("method", "layer").getPlot()).getDataset();
        // method has 2 cells, layer 8 (one per value): cell (CAA, layer 3) is the mean over those trials
        double sum = 0;
        int n = 0;
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE && t.params().get("method").equals("CAA")
                    && ((Number) t.params().get("layer")).intValue() == 3) {
                sum += t.value();
                n++;
            }
        }
        assertTrue(n > 0);
        boolean found = false;
        for (int i = 0; i < d.getItemCount(0); i++) {
            if (d.getXValue(0, i) == 0 && d.getYValue(0, i) == 3) {
                assertEquals(sum / n, d.getZValue(0, i), 1e-12);
                found = true;
            }
        }
        assertTrue(found);
    }

    @Test
    void parallelScalesEachAxisToItsRange() {
        JFreeChart chart = charts.parallel(List.of("lr", "x"));
        XYDataset d = ((XYPlot) chart.getPlot()).getDataset();
        FrozenTrial first = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).findFirst().orElseThrow();
        double lr = (Double) first.params().get("lr");
        assertEquals((Math.log(lr) - Math.log(1e-4)) / (Math.log(1e-1) - Math.log(1e-4)), d.getYValue(0, 0), 1e-9,
                "lr is log-scaled");
        assertEquals(((Double) first.params().get("x") + 5) / 10, d.getYValue(0, 1), 1e-9);
        assertEquals(3, d.getItemCount(0));
    }

    @Test
    void importanceBarsPutTheInfluentialParameterFirst() {
        CategoryPlot p = (CategoryPlot) charts.importance(ObjectiveImportance.defaults()).getPlot();
        assertEquals("x", p.getDataset().getColumnKey(0));
    }

    @Test
    void artifactPlotsAreOnePngEach(@TempDir Path tmp) throws Exception {
        List<Path> files = charts.writeArtifactPlots(tmp, ObjectiveImportance.defaults());
        assertEquals(3 + charts.params().size(), files.size());
        for (Path f : files) {
            byte[] head = Files.readAllBytes(f);
            assertEquals((byte) 0x89, head[0]);
            assertEquals('P', head[1]);
        }
        assertTrue(Files.exists(tmp.resolve("plots/slice_lr.png")));
    }
}
