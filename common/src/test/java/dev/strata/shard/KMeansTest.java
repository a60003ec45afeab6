package dev.strata.shard;

import dev.strata.api.Metric;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KMeansTest {

    @Test
    void sameSeedGivesIdenticalCentroids() {
        // GIVEN one sample
        List<float[]> sample = RoutingTestData.clustered(2000, 32, 10, 0.3, 1);
        // WHEN trained twice with the same seed, and once with another
        List<float[]> a = KMeans.train(sample, 8, Metric.COSINE, 42);
        List<float[]> b = KMeans.train(sample, 8, Metric.COSINE, 42);
        List<float[]> c = KMeans.train(sample, 8, Metric.COSINE, 43);
        // THEN the first two are bit-identical, the third is not
        assertThat(a).hasSize(8);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
        boolean anyDiffers = false;
        for (int i = 0; i < a.size(); i++) {
            anyDiffers |= !java.util.Arrays.equals(a.get(i), c.get(i));
        }
        assertThat(anyDiffers).isTrue();
    }

    @Test
    void cosineCentroidsAreUnitVectorsNearTheTrueCentres() {
        // GIVEN 8 well-separated clusters
        List<float[]> sample = RoutingTestData.clustered(4000, 16, 8, 0.05, 7);
        for (long seed = 0; seed < 10; seed++) {
            // WHEN 8 centroids are trained (for each of ten seeds)
            List<float[]> centroids = KMeans.train(sample, 8, Metric.COSINE, seed);
            // THEN each is a unit vector, and every sample point lies very close to its nearest centroid:
            // no two centroids share a cluster, whatever the seed
            for (float[] c : centroids) {
                assertThat(Math.sqrt(RoutingMath.dot(c, c))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            for (float[] p : sample) {
                double best = centroids.stream().mapToDouble(c -> RoutingMath.dot(c, p)).max().orElseThrow();
                assertThat(best).as("seed " + seed).isGreaterThan(0.9);
            }
        }
    }

    @Test
    void l2CentroidsAreMeans() {
        // GIVEN two tight groups around (10,10) and (-10,-10), not normalised
        List<float[]> sample = List.of(new float[] {9, 10}, new float[] {11, 10}, new float[] {10, 9},
                new float[] {10, 11}, new float[] {-9, -10}, new float[] {-11, -10}, new float[] {-10, -9},
                new float[] {-10, -11});
        // WHEN trained with l2
        List<float[]> centroids = KMeans.train(sample, 2, Metric.L2, 1);
        // THEN the centroids are the two group means (in either order)
        assertThat(centroids).anySatisfy(c -> assertThat(c).containsExactly(10f, 10f));
        assertThat(centroids).anySatisfy(c -> assertThat(c).containsExactly(-10f, -10f));
    }

    @Test
    void duplicatesStillGiveKCentroids() {
        List<float[]> sample = List.of(new float[] {1, 0}, new float[] {1, 0}, new float[] {1, 0});
        assertThat(KMeans.train(sample, 3, Metric.DOT, 9)).hasSize(3);
    }

    @Test
    void badInputIsRejectedWithItsReason() {
        assertThatThrownBy(() -> KMeans.train(List.of(new float[] {1}), 2, Metric.L2, 1))
                .hasMessage("k-means with k = 2 needs at least 2 sample vectors, got 1");
        assertThatThrownBy(() -> KMeans.train(List.of(new float[] {1}), 0, Metric.L2, 1))
                .hasMessage("k is 0; it must be at least 1");
        assertThatThrownBy(() -> KMeans.train(List.of(new float[] {1, 2}, new float[] {1}), 1, Metric.L2, 1))
                .hasMessage("sample vector 1 has 1 values; the first has 2");
        assertThatThrownBy(() -> KMeans.train(List.of(new float[] {Float.NaN}), 1, Metric.L2, 1))
                .hasMessage("sample vector 0 holds NaN");
    }
}
