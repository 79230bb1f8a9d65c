package dev.steeropt.studies.analysis.report;

import dev.steeropt.studies.plots.ChartFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jfree.chart.JFreeChart;

/**
 * The report as one HTML file that opens offline: no script, no external resource; every image is a PNG embedded as
 * a {@code data:} URI, every summary an escaped {@code <pre>} block.
 */
final class ReportHtml {
    private ReportHtml() {}

    static String render(String title, List<ReportCommand.Outcome> outcomes, JFreeChart summary, List<String> notes, double seconds) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
                .append("pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:12px}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
                .append(".failed{color:#b00}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append(String.format(Locale.ROOT, "<p>%d analyses in %.1f s.</p>%n", outcomes.size(), seconds));
        h.append("<h2>Summary</h2>\n").append(img("summary.png", ChartFile.png(summary, ChartFile.WIDTH, ChartFile.HEIGHT)));
        for (String n : notes) {
            h.append("<p class=\"failed\">").append(esc(n)).append("</p>\n");
        }
        h.append("<table><tr><th>analysis</th><th>command</th><th>status</th><th>seconds</th></tr>\n");
        for (int i = 0; i < outcomes.size(); i++) {
            ReportCommand.Outcome o = outcomes.get(i);
            h.append("<tr><td><a href=\"#s").append(i).append("\">").append(esc(o.step().title())).append("</a></td><td>")
                    .append(esc(o.step().command())).append("</td><td").append(o.exitCode() != 0 ? " class=\"failed\"" : "").append('>')
                    .append(esc(o.status())).append("</td><td>").append(String.format(Locale.ROOT, "%.1f", o.seconds())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (int i = 0; i < outcomes.size(); i++) {
            ReportCommand.Outcome o = outcomes.get(i);
            h.append("<h2 id=\"s").append(i).append("\">").append(esc(o.step().title())).append("</h2>\n<p>analyze ")
                    .append(esc(o.step().command())).append(": ").append(esc(o.status())).append("</p>\n");
            if (!o.errors().isBlank()) {
                h.append("<pre class=\"failed\">").append(esc(o.errors())).append("</pre>\n");
            }
            if (!o.summary().isBlank()) {
                h.append("<pre>").append(esc(o.summary())).append("</pre>\n");
            }
            for (Path png : pngs(o.dir())) {
                try {
                    h.append(img(png.getFileName().toString(), Files.readAllBytes(png)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + png, e);
                }
            }
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static List<Path> pngs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String img(String name, byte[] png) {
        return "<figure><img alt=\"" + esc(name) + "\" title=\"" + esc(name) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"><figcaption>" + esc(name) + "</figcaption></figure>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
