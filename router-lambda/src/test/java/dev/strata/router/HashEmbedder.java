package dev.strata.router;

import dev.strata.embed.Embedder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A deterministic toy embedder for tests of the text-query path: the vector is drawn from a generator seeded by
 * the text's bytes, so equal texts give equal vectors and different texts different ones. It counts its calls.
 */
final class HashEmbedder implements Embedder {

    private final String model;
    private final int dimension;
    final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    HashEmbedder(String model, int dimension) {
        this.model = model;
        this.dimension = dimension;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        calls.incrementAndGet();
        return texts.stream().map(t -> {
            Random r = new Random(java.util.Arrays.hashCode(t.getBytes(StandardCharsets.UTF_8)));
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = (float) r.nextGaussian();
            }
            return v;
        }).toList();
    }
}
