package dev.strata.shard;

import java.nio.charset.StandardCharsets;

/**
 * Hash functions whose output is part of Strata's stored state: where a document's id sends it
 * ({@link HashSharding}, {@link HybridSharding}) and which nodes hold a shard ({@code PlacementTable}).
 *
 * <p><b>These functions must never change.</b> Segments already written sit in the shard that
 * {@link #jump(long, int)} of {@link #of(String)} chose; a different output would make upserts land in another
 * shard than the row they replace, and deletes miss it. Golden values in the tests pin them.
 *
 * <ul>
 *   <li>{@link #xxh64(byte[], long)}: xxHash64 (Yann Collet's XXH64, little-endian reads), bit-for-bit equal to
 *       the reference {@code XXH64()} of libxxhash.</li>
 *   <li>{@link #jump(long, int)}: jump consistent hash (Lamping and Veach, 2014): uniform over the buckets, and
 *       going from n to n+1 buckets moves only about 1/(n+1) of the keys.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class StableHash {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private StableHash() {}

    /** xxHash64 of the UTF-8 bytes of {@code s}, seed 0. */
    public static long of(String s) {
        return xxh64(s.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** xxHash64 of the UTF-8 bytes of the parts joined with a 0x1F separator (so ("ab","c") ≠ ("a","bc")). */
    public static long of(String... parts) {
        return of(String.join("\u001f", parts));
    }

    /** The bucket in {@code [0, buckets)} of a 64-bit key, by jump consistent hash. */
    public static int jump(long key, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets is " + buckets + "; it must be at least 1");
        }
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }

    /** XXH64 of {@code data} with {@code seed}. */
    public static long xxh64(byte[] data, long seed) {
        int len = data.length;
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            int limit = len - 32;
            do {
                v1 = round(v1, readLong(data, i));
                v2 = round(v2, readLong(data, i + 8));
                v3 = round(v3, readLong(data, i + 16));
                v4 = round(v4, readLong(data, i + 24));
                i += 32;
            } while (i <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = seed + P5;
        }
        h += len;
        while (i + 8 <= len) {
            h ^= round(0, readLong(data, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            i += 8;
        }
        if (i + 4 <= len) {
            h ^= (readInt(data, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        while (i < len) {
            h ^= (data[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            i++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long mergeRound(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static long readLong(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48
                | (b[i + 7] & 0xFFL) << 56;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
