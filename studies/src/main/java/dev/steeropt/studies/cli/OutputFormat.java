package dev.steeropt.studies.cli;

import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.studies.artifacts.CsvTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;

/**
 * How commands print records: an ASCII table (Optuna's style: {@code +---+} borders, numbers right-aligned),
 * JSON (as Python's {@code json.dumps}: a list of objects, or one object for single-record commands) or CSV
 * (a header row, nested values as JSON text).
 */
public enum OutputFormat {
    TABLE,
    JSON,
    CSV;

    /** Accepts {@code table}, {@code json}, {@code csv} in any case. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not an output format (expected table, json or csv)");
            }
        }
    }

    /** Prints records; {@code single} prints one JSON object instead of a list. */
    public void print(PrintWriter out, List<? extends Map<String, Object>> records, boolean single) {
        switch (this) {
            case JSON:
                out.println(single && records.size() == 1 ? OptunaJson.dumps(records.get(0))
                        : OptunaJson.dumps(new ArrayList<>(records)));
                break;
            case CSV:
                printCsv(out, records);
                break;
            default:
                printTable(out, records);
        }
        out.flush();
    }

    private static Set<String> columns(List<? extends Map<String, Object>> records) {
        Set<String> cols = new LinkedHashSet<>();
        records.forEach(r -> cols.addAll(r.keySet()));
        return cols;
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        return OptunaJson.dumps(v);
    }

    private static void printCsv(PrintWriter out, List<? extends Map<String, Object>> records) {
        Set<String> cols = columns(records);
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> r : records) {
            List<String> cells = new ArrayList<>();
            for (String c : cols) {
                cells.add(text(r.get(c)));
            }
            rows.add(cells);
        }
        out.print(CsvTable.format(List.copyOf(cols), rows));
        out.flush();
    }

    private static void printTable(PrintWriter out, List<? extends Map<String, Object>> records) {
        List<String> cols = new ArrayList<>(columns(records));
        if (cols.isEmpty()) {
            return;
        }
        Map<String, Integer> width = new LinkedHashMap<>();
        Map<String, Boolean> numeric = new LinkedHashMap<>();
        for (String c : cols) {
            int w = c.length();
            boolean num = true;
            for (Map<String, Object> r : records) {
                Object v = r.get(c);
                w = Math.max(w, text(v).length());
                if (v != null && !(v instanceof Number)) {
                    num = false;
                }
            }
            width.put(c, w);
            numeric.put(c, num);
        }
        StringBuilder border = new StringBuilder("+");
        for (String c : cols) {
            border.append("-".repeat(width.get(c) + 2)).append('+');
        }
        out.println(border);
        StringBuilder header = new StringBuilder("|");
        for (String c : cols) {
            header.append(' ').append(pad(c, width.get(c), false)).append(" |");
        }
        out.println(header);
        out.println(border);
        for (Map<String, Object> r : records) {
            StringBuilder line = new StringBuilder("|");
            for (String c : cols) {
                line.append(' ').append(pad(text(r.get(c)), width.get(c), numeric.get(c))).append(" |");
            }
            out.println(line);
        }
        out.println(border);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
