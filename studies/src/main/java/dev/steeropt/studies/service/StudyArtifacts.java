package dev.steeropt.studies.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of a study's output directory that the API lists and serves: regular files in it and in its direct
 * subdirectories (e.g. {@code plots/history.png}), named by their path relative to it, of the kinds a run writes
 * (plots, JSON, CSV, text, GGUF control vectors): never the database that may sit beside them. A name is served only
 * when it is in that listing, so no request reaches outside the directory.
 */
final class StudyArtifacts {
    /** Largest file served. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final java.util.Set<String> KINDS = java.util.Set.of("png", "svg", "json", "csv", "txt", "md",
            "gguf");

    /** One artifact. */
    record Entry(String name, long bytes, String mediaType) {}

    /** The listing: {@code directory} and its files. */
    record Listing(String directory, List<Entry> artifacts) {}

    private StudyArtifacts() {}

    static Listing list(Path dir) {
        List<Entry> out = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir, 2)) {
                files.filter(Files::isRegularFile).sorted().forEach(f -> {
                    String name = dir.relativize(f).toString().replace('\\', '/');
                    int dot = name.lastIndexOf('.');
                    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
                    if (!name.startsWith(".") && !name.contains("/.") && KINDS.contains(ext)) {
                        out.add(new Entry(name, size(f), mediaType(name)));
                    }
                });
            } catch (IOException e) {
                throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "cannot list the artifacts in " + dir + ": "
                        + e.getMessage());
            }
        }
        return new Listing(dir == null ? null : dir.toString(), out);
    }

    /** The bytes of artifact {@code name}; 404 unless it is in the listing. */
    static Response read(Path dir, String name) {
        Entry entry = list(dir).artifacts().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("the study has no artifact '" + name + "' (GET .../artifacts"
                        + " lists them)"));
        if (entry.bytes() > MAX_BYTES) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "artifact '" + name + "' is larger than " + MAX_BYTES
                    + " bytes; read it from " + dir + " directly");
        }
        try {
            return new Response(HttpStatus.OK, entry.mediaType(), Files.readAllBytes(dir.resolve(name)));
        } catch (IOException e) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "cannot read artifact '" + name + "': "
                    + e.getMessage());
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    static String mediaType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (n.endsWith(".json")) {
            return Response.JSON;
        }
        if (n.endsWith(".csv")) {
            return "text/csv; charset=utf-8";
        }
        if (n.endsWith(".txt") || n.endsWith(".md")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
