package dev.strata.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** API key format and hashing: keys are {@code sk_} + 43 base62-ish characters; only their SHA-256 is stored. */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private ApiKeys() {}

    /** Hex SHA-256 of the key's UTF-8 bytes: the catalog's {@code KEY#} sort of key. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A new random key (256 bits of entropy). */
    public static String generate() {
        StringBuilder sb = new StringBuilder("sk_");
        for (int i = 0; i < 43; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** Public id of a key: the first 12 hex characters of its hash (safe to log). */
    public static String keyId(String keyHash) {
        return "key_" + keyHash.substring(0, 12);
    }
}
