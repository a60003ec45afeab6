package dev.strata.segment;

import java.util.Arrays;

/**
 * A set of row ordinals of one segment, as a bitset of {@code size} bits. Used for filter matches, delete masks
 * and their intersection (the rows a search may accept).
 *
 * <p>Instances handed out by this package are never mutated after construction; every combining operation
 * returns a new set. Immutable, hence thread-safe.
 */
public final class RowSet {
    private final long[] words;
    private final int size;
    private final int cardinality;

    private RowSet(long[] words, int size) {
        this.words = words;
        this.size = size;
        int c = 0;
        for (long w : words) {
            c += Long.bitCount(w);
        }
        this.cardinality = c;
    }

    /** Every row of a segment of {@code size} rows. */
    public static RowSet all(int size) {
        long[] w = new long[words(size)];
        Arrays.fill(w, -1L);
        trim(w, size);
        return new RowSet(w, size);
    }

    /** No row. */
    public static RowSet none(int size) {
        return new RowSet(new long[words(size)], size);
    }

    /** Builds a set from a bitset the caller gives up (bits at or past {@code size} are cleared). */
    public static RowSet ofWords(long[] words, int size) {
        if (words.length != words(size)) {
            throw new IllegalArgumentException("bitset has " + words.length + " words; " + size + " rows need "
                    + words(size));
        }
        trim(words, size);
        return new RowSet(words, size);
    }

    /** Number of 64-bit words a set of {@code size} rows uses. */
    public static int words(int size) {
        return (size + 63) >>> 6;
    }

    private static void trim(long[] w, int size) {
        if ((size & 63) != 0 && w.length > 0) {
            w[w.length - 1] &= (1L << (size & 63)) - 1;
        }
    }

    public int size() {
        return size;
    }

    /** Rows in the set. */
    public int cardinality() {
        return cardinality;
    }

    public boolean isAll() {
        return cardinality == size;
    }

    public boolean contains(int row) {
        return (words[row >>> 6] & (1L << row)) != 0;
    }

    /** Next row in the set at or after {@code from}, or -1. */
    public int nextSetBit(int from) {
        if (from >= size) {
            return -1;
        }
        int i = from >>> 6;
        long w = words[i] & (-1L << from);
        while (true) {
            if (w != 0) {
                return (i << 6) + Long.numberOfTrailingZeros(w);
            }
            if (++i == words.length) {
                return -1;
            }
            w = words[i];
        }
    }

    public RowSet and(RowSet other) {
        check(other);
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & other.words[i];
        }
        return new RowSet(w, size);
    }

    public RowSet or(RowSet other) {
        check(other);
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] | other.words[i];
        }
        return new RowSet(w, size);
    }

    /** Rows of a segment of the same size that are not in this set. */
    public RowSet not() {
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = ~words[i];
        }
        trim(w, size);
        return new RowSet(w, size);
    }

    /** Bytes this set keeps resident. */
    public long ramBytes() {
        return 8L * words.length + 32;
    }

    private void check(RowSet other) {
        if (other.size != size) {
            throw new IllegalArgumentException("row sets of " + size + " and " + other.size + " rows");
        }
    }
}
