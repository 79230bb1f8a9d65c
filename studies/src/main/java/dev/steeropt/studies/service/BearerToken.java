package dev.steeropt.studies.service;

import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The secret a REST write must present as {@code Authorization: Bearer <token>}. The comparison takes the same time
 * whatever the presented value ({@link MessageDigest#isEqual} over SHA-256 digests, so neither the content nor the
 * length of the token leaks through timing).
 */
public final class BearerToken {
    /** The environment variable that holds the token when no {@code --token-file} is given. */
    public static final String ENV = "STEEROPT_TOKEN";
    private static final String SCHEME = "Bearer ";
    /** Tokens shorter than this are refused: they could be guessed. */
    static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private BearerToken(String token) {
        this.digest = sha256(token);
    }

    /** A token from its text; refuses one shorter than {@value #MIN_LENGTH} characters. */
    public static BearerToken of(String token, String source) {
        String t = token.strip();
        if (t.length() < MIN_LENGTH) {
            throw UserFacingException.usage("The token from " + source + " is " + t.length() + " characters long",
                    "a REST write token needs at least " + MIN_LENGTH + " characters so that it cannot be guessed",
                    "Generate one, e.g. 'openssl rand -hex 32 > token.txt'.");
        }
        return new BearerToken(t);
    }

    /**
     * The token from {@code tokenFile} (its first line) if given, else from {@value #ENV}, else none (then the
     * service refuses every write).
     */
    public static Optional<BearerToken> resolve(Path tokenFile, Map<String, String> env) {
        if (tokenFile != null) {
            String text;
            try {
                text = Files.readString(tokenFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw UserFacingException.usage("Cannot read the token file " + tokenFile, e.toString(),
                        "Pass a readable file to --token-file (its first line is the token).");
            }
            String first = text.lines().findFirst().orElse("");
            return Optional.of(of(first, "--token-file " + tokenFile));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(of(fromEnv, "$" + ENV));
        }
        return Optional.empty();
    }

    /** Whether an {@code Authorization} header value carries this token. */
    public boolean accepts(String authorizationHeader) {
        String presented = authorizationHeader != null && authorizationHeader.startsWith(SCHEME)
                ? authorizationHeader.substring(SCHEME.length()).strip() : "";
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[hidden]";
    }
}
