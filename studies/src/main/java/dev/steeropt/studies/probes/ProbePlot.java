package dev.steeropt.studies.probes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a {@link ProbeReport} as a PNG with Java2D: layer on the x axis, validation AUC (blue) and validation accuracy
 * (orange) on the y axis from 0 to 1, with the 0.5 chance level dashed.
 */
public final class ProbePlot {
    /** Image width in pixels. */
    public static final int WIDTH = 800;
    /** Image height in pixels. */
    public static final int HEIGHT = 480;
    /** Colour of the AUC line. */
    public static final Color AUC = new Color(31, 119, 180);
    /** Colour of the accuracy line. */
    public static final Color ACCURACY = new Color(255, 127, 14);
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private ProbePlot() {}

    /** Renders the report. */
    public static BufferedImage render(ProbeReport report) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            List<ProbeReport.LayerResult> rows = report.layers();
            int first = rows.get(0).layer();
            int last = rows.get(rows.size() - 1).layer();
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(230, 230, 230));
            for (int i = 0; i <= 10; i++) {
                int y = TOP + plotH - i * plotH / 10;
                g.drawLine(LEFT, y, LEFT + plotW, y);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, plotW, plotH);
            for (int i = 0; i <= 10; i += 2) {
                int y = TOP + plotH - i * plotH / 10;
                g.drawString(String.format(Locale.ROOT, "%.1f", i / 10.0), LEFT - 30, y + 4);
            }
            int step = Math.max(1, (last - first + 1) / 16);
            for (ProbeReport.LayerResult r : rows) {
                if ((r.layer() - first) % step == 0) {
                    int x = x(r.layer(), first, last, plotW);
                    g.drawLine(x, TOP + plotH, x, TOP + plotH + 4);
                    g.drawString(Integer.toString(r.layer()), x - 4, TOP + plotH + 18);
                }
            }
            g.drawString("layer", LEFT + plotW / 2 - 15, HEIGHT - 20);
            g.drawString("validation AUC / accuracy", 10, TOP - 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString("Linear probes, correct vs incorrect (" + report.hookPoint() + ", " + report.readPosition() + ")", LEFT, 25);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
            g.drawLine(LEFT, TOP + plotH / 2, LEFT + plotW, TOP + plotH / 2);
            line(g, rows, ProbeReport.LayerResult::valAuc, AUC, first, last, plotW, plotH);
            line(g, rows, ProbeReport.LayerResult::valAccuracy, ACCURACY, first, last, plotW, plotH);
            g.setStroke(new BasicStroke(3f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(AUC);
            g.drawLine(LEFT + plotW - 150, TOP + 15, LEFT + plotW - 125, TOP + 15);
            g.drawString("AUC", LEFT + plotW - 118, TOP + 19);
            g.setColor(ACCURACY);
            g.drawLine(LEFT + plotW - 150, TOP + 33, LEFT + plotW - 125, TOP + 33);
            g.drawString("accuracy", LEFT + plotW - 118, TOP + 37);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes a PNG. */
    public static void write(ProbeReport report, Path png) {
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            if (!ImageIO.write(render(report), "png", png.toFile())) {
                throw new IllegalStateException("no PNG writer is available in this JRE");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write probe plot " + png, e);
        }
    }

    private static void line(Graphics2D g, List<ProbeReport.LayerResult> rows, ToDoubleFunction<ProbeReport.LayerResult> f,
            Color c, int first, int last, int plotW, int plotH) {
        g.setColor(c);
        g.setStroke(new BasicStroke(2.5f));
        int px = -1;
        int py = -1;
        for (ProbeReport.LayerResult r : rows) {
            int x = x(r.layer(), first, last, plotW);
            int y = TOP + plotH - (int) Math.round(Math.max(0, Math.min(1, f.applyAsDouble(r))) * plotH);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 4, y - 4, 8, 8);
            px = x;
            py = y;
        }
    }

    private static int x(int layer, int first, int last, int plotW) {
        return last == first ? LEFT + plotW / 2 : LEFT + (int) Math.round((layer - first) * (double) plotW / (last - first));
    }
}
