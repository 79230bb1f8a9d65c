package dev.steeropt.studies.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void lineChartDrawsEverySeriesInItsPaletteColour() throws IOException {
        JFreeChart chart = Charts.line("probe accuracy, demo-hasty", "layer", "accuracy",
                List.of(Series.indexed("demo-hasty", new double[] {0.5, 0.7, 0.9, 0.95}),
                        Series.indexed("demo-careful", new double[] {0.5, 0.6, 0.8, 0.9})));
        Charts.referenceLine(chart, 0.5, "chance");
        Charts.integerX(chart);
        Path png = dir.resolve("sub/line.png");
        ChartFile.write(chart, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ChartFile.WIDTH, img.getWidth());
        assertEquals(ChartFile.HEIGHT, img.getHeight());
        assertTrue(count(img, Charts.PALETTE.get(0)) > 50, "first series drawn in blue");
        assertTrue(count(img, Charts.PALETTE.get(1)) > 50, "second series drawn in orange");
        assertEquals(0, count(img, Charts.PALETTE.get(2)), "no third series, so no green");
    }

    @Test
    void heatmapColoursNegativeBluePositiveRedAndHasAColourBar() throws IOException {
        Grid grid = new Grid(List.of("-2", "-1", "0"), List.of("0", "1"), new double[][] {{-0.2, 0.0, 0.1}, {0.3, Double.NaN, 0.0}});
        JFreeChart chart = Charts.heatmap("gain, demo-hasty, synthetic, n=100", "strength", "layer", "gain", grid);
        byte[] bytes = ChartFile.png(chart, 600, 400);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        ColourScale scale = ColourScale.fitting(new double[] {-0.2, 0.3});
        assertEquals(-0.3, scale.getLowerBound(), 1e-12, "diverging scale is symmetric around 0");
        assertTrue(count(img, (Color) scale.getPaint(0.3)) > 100, "the largest gain's cell (and the colour bar's top) are deep red");
        assertTrue(count(img, (Color) scale.getPaint(-0.2)) > 100, "the negative cell is blue");
        assertTrue(count(img, (Color) scale.getPaint(Double.NaN)) > 100, "the missing cell is grey");
        assertTrue(chart.getSubtitle(0) instanceof org.jfree.chart.title.PaintScaleLegend, "the colour bar is the one subtitle");
            }

    @Test
    void sequentialScaleWhenAllValuesHaveOneSign() {
        ColourScale scale = ColourScale.fitting(new Grid(List.of("a", "b"), List.of("r"), new double[][] {{0.2, 0.9}}).finiteRange());
        assertEquals(0.2, scale.getLowerBound(), 1e-12);
        assertEquals(Color.WHITE, scale.getPaint(0.2));
        assertEquals(Color.WHITE, scale.textColourOn(0.9) , "dark cell, white text");
    }

    @Test
    void barAndScatterChartsWriteSvgWithTheirTitles() throws IOException {
        Map<String, double[]> bars = new LinkedHashMap<>();
        bars.put("accuracy", new double[] {0.4, 0.8});
        JFreeChart bar = Charts.bar("accuracy by token CV", "token CV", "accuracy", List.of("low", "high"), bars);
        Path svg = dir.resolve("bar.svg");
        ChartFile.write(bar, svg);
        String text = Files.readString(svg);
        assertTrue(text.startsWith("<?xml") || text.startsWith("<svg"), text.substring(0, 40));
        assertTrue(text.contains("accuracy by token CV"));
        JFreeChart scatter = Charts.scatter("Pareto front", "mean tokens", "accuracy",
                List.of(new Series("front", new double[] {10, 50}, new double[] {0.1, 0.4}), new Series("baseline", new double[] {12}, new double[] {0.05})));
        assertTrue(ChartFile.svg(scatter, 400, 300).contains("Pareto front"));
    }

    @Test
    void badShapesAndExtensionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Series("s", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new Grid(List.of("a"), List.of("r", "s"), new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> Charts.bar("t", "c", "v", List.of("a", "b"), Map.of("x", new double[] {1})));
        JFreeChart chart = Charts.line("t", "x", "y", List.of(Series.indexed("s", new double[] {1, 2})));
        assertThrows(IllegalArgumentException.class, () -> ChartFile.write(chart, dir.resolve("plot.jpg")));
    }

    private static int count(BufferedImage img, Color c) {
        int rgb = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
