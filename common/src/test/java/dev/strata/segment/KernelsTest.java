package dev.strata.segment;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KernelsTest {

    @Test
    void bigEndianKernelsAgreeWithPlainArithmeticAtEveryLength() {
        // GIVEN vectors of lengths that are not, are, and are twice the vector width, stored big-endian
        Random random = new Random(7);
        for (int n : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 384, 1000}) {
            float[] q = new float[n];
            float[] v = new float[n];
            ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.BIG_ENDIAN);
            double dot = 0;
            double l2 = 0;
            for (int i = 0; i < n; i++) {
                q[i] = (float) random.nextGaussian();
                v[i] = (float) random.nextGaussian();
                bytes.putFloat(v[i]);
                dot += (double) q[i] * v[i];
                l2 += (double) (q[i] - v[i]) * (q[i] - v[i]);
            }
            // WHEN scored by the kernels
            // THEN they match double-precision arithmetic
            assertThat(Kernels.dotBigEndian(bytes.array(), q)).as("dot, n=%d", n)
                    .isCloseTo((float) dot, within(1e-3f));
            assertThat(Kernels.squareDistanceBigEndian(bytes.array(), q)).as("l2, n=%d", n)
                    .isCloseTo((float) l2, within(1e-3f * (float) l2));
        }
    }

    @Test
    void aScoreDoesNotDependOnWhetherTheKernelIsCompiled() {
        // GIVEN one row and one query
        Random random = new Random(11);
        float[] q = new float[384];
        ByteBuffer bytes = ByteBuffer.allocate(4 * q.length).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) random.nextGaussian();
            bytes.putFloat((float) random.nextGaussian());
        }
        float first = Kernels.dotBigEndian(bytes.array(), q);
        // WHEN scored again after the JIT has had every chance to compile the kernel
        float last = first;
        for (int i = 0; i < 200_000; i++) {
            last = Kernels.dotBigEndian(bytes.array(), q);
        }
        // THEN the score is bit for bit the same (a Vector API lane reduction in unspecified order was not)
        assertThat(Float.floatToIntBits(last)).isEqualTo(Float.floatToIntBits(first));
    }
}
