package dev.strata.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The fixed rotation {@link SqCodes} applies to vectors and queries: per round, sign flips, a Walsh-Hadamard
 * transform over blocks of {@code block} dimensions (the largest power of two dividing the dimension, at most 1024)
 * and a permutation. Every step is orthonormal, so inner products and distances are kept, while every dimension
 * ends up carrying a similar share of the vector.
 *
 * <p>Stored explicitly in {@code sq.bin}, little-endian, so that reading never depends on a random generator:
 * <pre>
 *   int32   rounds R
 *   int32   block
 *   per round: uint8 flip[d] (1 = negate), int32 permutation[d] (output i takes input permutation[i])
 * </pre>
 * Immutable; {@link #rotate} writes only into the caller's arrays.
 */
final class BlockRotation {
    static final int ROUNDS = 2;
    private static final long SEED = 0x5354524154414cL;

    private final int dimension;
    private final int block;
    private final boolean[][] flips;
    private final int[][] permutations;

    private BlockRotation(int dimension, int block, boolean[][] flips, int[][] permutations) {
        this.dimension = dimension;
        this.block = block;
        this.flips = flips;
        this.permutations = permutations;
    }

    /** The rotation new segments use: {@value #ROUNDS} rounds drawn from a fixed seed. */
    static BlockRotation seeded(int dimension) {
        Random random = new Random(SEED);
        boolean[][] flips = new boolean[ROUNDS][dimension];
        int[][] permutations = new int[ROUNDS][dimension];
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < dimension; i++) {
                flips[r][i] = random.nextBoolean();
                permutations[r][i] = i;
            }
            for (int i = dimension - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = permutations[r][i];
                permutations[r][i] = permutations[r][j];
                permutations[r][j] = t;
            }
        }
        return new BlockRotation(dimension, Math.min(1024, Integer.lowestOneBit(dimension)), flips, permutations);
    }

    void write(LittleEndianOutput out) throws IOException {
        out.writeInt(flips.length);
        out.writeInt(block);
        for (int r = 0; r < flips.length; r++) {
            byte[] f = new byte[dimension];
            for (int i = 0; i < dimension; i++) {
                f[i] = (byte) (flips[r][i] ? 1 : 0);
            }
            out.write(f);
            for (int i = 0; i < dimension; i++) {
                out.writeInt(permutations[r][i]);
            }
        }
    }

    /**
     * Reads a rotation of {@code dimension} from {@code b} at its position, which it advances.
     *
     * @throws SegmentCorruptException naming {@code file} when the rotation is malformed or truncated
     */
    static BlockRotation read(ByteBuffer b, int dimension, String file) {
        if (b.remaining() < 8) {
            throw new SegmentCorruptException(file, file + " ends inside its rotation");
        }
        int rounds = b.getInt();
        int block = b.getInt();
        if (rounds < 0 || rounds > 16 || block < 1 || Integer.bitCount(block) != 1 || dimension % block != 0) {
            throw new SegmentCorruptException(file, file + " has a rotation of " + rounds + " rounds over blocks of "
                    + block + ", which does not fit dimension " + dimension);
        }
        if (b.remaining() < (long) rounds * 5 * dimension) {
            throw new SegmentCorruptException(file, file + " ends inside its rotation");
        }
        boolean[][] flips = new boolean[rounds][dimension];
        int[][] permutations = new int[rounds][dimension];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < dimension; i++) {
                flips[r][i] = b.get() != 0;
            }
            boolean[] seen = new boolean[dimension];
            for (int i = 0; i < dimension; i++) {
                int p = b.getInt();
                if (p < 0 || p >= dimension || seen[p]) {
                    throw new SegmentCorruptException(file, file + " round " + r + " is not a permutation of 0.."
                            + (dimension - 1));
                }
                seen[p] = true;
                permutations[r][i] = p;
            }
        }
        return new BlockRotation(dimension, block, flips, permutations);
    }

    /** Rotates {@code x} in place; {@code scratch} is any array of the same length. */
    void rotate(float[] x, float[] scratch) {
        float scale = (float) (1 / Math.sqrt(block));
        for (int r = 0; r < flips.length; r++) {
            boolean[] flip = flips[r];
            for (int i = 0; i < dimension; i++) {
                if (flip[i]) {
                    x[i] = -x[i];
                }
            }
            for (int off = 0; off < dimension; off += block) {
                for (int h = 1; h < block; h <<= 1) {
                    for (int i = off; i < off + block; i += h << 1) {
                        for (int j = i; j < i + h; j++) {
                            float a = x[j];
                            float b = x[j + h];
                            x[j] = a + b;
                            x[j + h] = a - b;
                        }
                    }
                }
            }
            int[] permutation = permutations[r];
            for (int i = 0; i < dimension; i++) {
                scratch[i] = x[permutation[i]] * scale;
            }
            System.arraycopy(scratch, 0, x, 0, dimension);
        }
    }

    /** Resident bytes: a flag and a permutation entry per dimension and round. */
    long ramBytes() {
        return (long) flips.length * 5 * dimension;
    }
}
