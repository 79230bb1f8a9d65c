package dev.steeropt.cache.key;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Content hashes that identify models and item lists in cache keys. */
public final class Fingerprints {

    private Fingerprints() {}

    /**
     * SHA-256 over the files that define a model's behaviour: {@code config.json}, every {@code *.safetensors}
     * file (and a shard index if present) and the tokenizer files, in name order, each preceded by its name. The
     * same weights under another directory give the same fingerprint; any changed byte gives another.
     */
    public static String model(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("model directory " + modelDir + " does not exist");
        }
        try (Stream<Path> files = Files.list(modelDir)) {
            List<Path> relevant = files.filter(Files::isRegularFile)
                    .filter(p -> isModelFile(p.getFileName().toString()))
                    .sorted()
                    .toList();
            MessageDigest md = sha256();
            for (Path p : relevant) {
                md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(fileDigest(p));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model directory " + modelDir, e);
        }
    }

    /** SHA-256 of the item ids in order, joined by newlines: the identity of a split's item list. */
    public static String idList(List<String> ids) {
        return ActivationKey.sha256Hex(String.join("\n", ids).getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of one file's bytes, as hex. */
    public static String file(Path p) {
        try {
            return HexFormat.of().formatHex(fileDigest(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static boolean isModelFile(String name) {
        return name.equals("config.json") || name.endsWith(".safetensors") || name.equals("model.safetensors.index.json")
                || name.equals("tokenizer.json") || name.equals("tokenizer_config.json")
                || name.equals("generation_config.json");
    }

    static byte[] fileDigest(Path p) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            in.transferTo(OutputStreamSink.INSTANCE);
        }
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Discards bytes; the digest stream sees them on the way. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
