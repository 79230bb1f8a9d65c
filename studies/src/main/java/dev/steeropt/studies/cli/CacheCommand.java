package dev.steeropt.studies.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt cache ls|verify|clear}: inspect and maintain the activation cache. */
@Command(name = "cache", description = "Inspect and maintain the on-disk activation cache.",
        mixinStandardHelpOptions = true,
        subcommands = {CacheCommand.Ls.class, CacheCommand.Verify.class, CacheCommand.Clear.class})
public final class CacheCommand implements Runnable {
    /** Default cache size cap: 4 GiB. */
    static final long DEFAULT_CAP = 4L << 30;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the cache subcommands. */
    static final class CacheDir {
        @Option(names = "--cache-dir", description = "Cache directory (default: $STEEROPT_CACHE, else ~/.cache/steeropt/activations).")
        Path dir;

        Path resolve() {
            if (dir != null) {
                return dir;
            }
            String env = System.getenv("STEEROPT_CACHE");
            return env != null && !env.isBlank() ? Path.of(env)
                    : Path.of(System.getProperty("user.home"), ".cache", "steeropt", "activations");
        }

        ActivationStore openExisting() {
            Path d = resolve();
            if (!Files.isDirectory(d.resolve("entries"))) {
                throw UserFacingException.usage("No activation cache at " + d,
                        "the directory does not exist or holds no cache",
                        "Pass the --cache-dir your runs used (or set STEEROPT_CACHE).");
            }
            return ActivationStore.open(d, DEFAULT_CAP);
        }
    }

    @Command(name = "ls", description = "List cache entries, most recently used first.", mixinStandardHelpOptions = true)
    static final class Ls implements Callable<Integer> {
        @Mixin
        VerbosityMixin verbosity;
        @Mixin
        CacheDir cacheDir;
        @Option(names = "--format", defaultValue = "table", converter = OutputFormat.Converter.class,
                description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat format;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<ActivationStore.EntryInfo> entries = cacheDir.openExisting().list();
            PrintWriter out = spec.commandLine().getOut();
            if (format == OutputFormat.JSON) {
                out.println(new ObjectMapper().writeValueAsString(entries.stream().map(e -> new Entry(e.digest(), e.key(),
                        e.payloadBytes(), e.lastAccess().toString())).toList()));
            } else if (format == OutputFormat.TABLE) {
                out.printf("%-16s %-28s %-10s %-22s %12s  %s%n", "digest", "hook_point", "split", "read_position",
                        "bytes", "last_access");
                long total = 0;
                for (ActivationStore.EntryInfo e : entries) {
                    out.printf("%-16s %-28s %-10s %-22s %12d  %s%n", e.digest().substring(0, 16),
                            e.key().path("hook_point").asText(), e.key().path("split").asText(),
                            e.key().path("read_position").asText(), e.payloadBytes(), e.lastAccess());
                    total += Math.max(0, e.payloadBytes());
                }
                out.printf("%d entries, %d bytes%n", entries.size(), total);
            } else {
                throw UserFacingException.usage("cache ls cannot print --format csv", "it prints table or json",
                        "Use --format table or --format json.");
            }
            return 0;
        }
    }

    /** One entry of {@code cache ls --format json}. */
    record Entry(String digest, JsonNode key, @JsonProperty("payload_bytes") long payloadBytes,
            @JsonProperty("last_access") String lastAccess) {}

    @Command(name = "verify", description = "Check every entry's checksum; remove the corrupt ones (they are recomputed on next use).",
            mixinStandardHelpOptions = true)
    static final class Verify implements Callable<Integer> {
        @Mixin
        VerbosityMixin verbosity;
        @Mixin
        CacheDir cacheDir;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ActivationStore store = cacheDir.openExisting();
            int before = store.list().size();
            List<String> bad = store.verify();
            PrintWriter out = spec.commandLine().getOut();
            bad.forEach(d -> out.println("removed corrupt entry " + d));
            out.printf("%d entries checked, %d corrupt removed%n", before, bad.size());
            return bad.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "clear", description = "Remove every cache entry.", mixinStandardHelpOptions = true)
    static final class Clear implements Callable<Integer> {
        @Mixin
        VerbosityMixin verbosity;
        @Mixin
        CacheDir cacheDir;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            int n = cacheDir.openExisting().clear();
            spec.commandLine().getOut().printf("removed %d entries%n", n);
            return 0;
        }
    }
}
