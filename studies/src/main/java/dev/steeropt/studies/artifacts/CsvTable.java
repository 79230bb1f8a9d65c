package dev.steeropt.studies.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The one CSV writer of the CLI and the artifacts: RFC 4180 (Commons CSV) with {@code \n} between records, so a field
 * with a comma, a quote, a CR or an LF is quoted and reads back as written.
 */
public final class CsvTable {
    /** RFC 4180 quoting, {@code \n} line ends. */
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

    private CsvTable() {}

    /**
     * A header line and one line per row, each ending in {@code \n}.
     *
     * @throws IllegalArgumentException if a row's length differs from the header's
     */
    public static String format(List<String> header, List<? extends List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT)) {
            p.printRecord(header);
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("a row has " + row.size() + " fields, the header " + header.size());
                }
                p.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }
}
