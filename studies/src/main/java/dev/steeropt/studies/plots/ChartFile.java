package dev.steeropt.studies.plots;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** Writes charts to files (PNG or SVG, chosen by the file name's extension) or to PNG bytes for embedding. */
public final class ChartFile {
    /** Default width in pixels. */
    public static final int WIDTH = 800;
    /** Default height in pixels. */
    public static final int HEIGHT = 480;

    /** The formats a chart file can have. */
    public enum Format {
        PNG, SVG;

        /** The format named by a file's extension, or null when it is neither {@code .png} nor {@code .svg}. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".png") ? PNG : name.endsWith(".svg") ? SVG : null;
        }
    }

    private ChartFile() {}

    /** Writes {@code chart} at the default size. */
    public static void write(JFreeChart chart, Path file) {
        write(chart, file, WIDTH, HEIGHT);
    }

    /** Writes {@code chart} as PNG or SVG by {@code file}'s extension, creating parent folders. */
    public static void write(JFreeChart chart, Path file, int width, int height) {
        Format format = Format.of(file);
        if (format == null) {
            throw new IllegalArgumentException("chart file " + file + " must end in .png or .svg");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (format == Format.PNG) {
                Files.write(file, png(chart, width, height));
            } else {
                Files.writeString(file, svg(chart, width, height), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file, e);
        }
    }

    /** The chart as PNG bytes (for a file, an HTTP response or a data: URI). */
    public static byte[] png(JFreeChart chart, int width, int height) {
        BufferedImage image = chart.createBufferedImage(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer is available in this JRE");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The chart as an SVG document. */
    public static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGDocument();
    }
}
