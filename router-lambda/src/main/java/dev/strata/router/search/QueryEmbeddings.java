package dev.strata.router.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.api.StrataException;
import dev.strata.embed.Embedder;
import dev.strata.router.RouterConfig;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Embeds query texts with the collection's model, caching vectors by (model, text) in a bounded LRU: hot questions
 * are embedded once. The embedders are the {@link Embedder} beans of the application (Bedrock on Lambda, the ONNX
 * model in the local emulation); a collection names its model. Thread-safe.
 */
@Singleton
public final class QueryEmbeddings {

    private record Key(String model, String text) {}

    private final List<Embedder> embedders;
    private final Cache<Key, float[]> cache;

    public QueryEmbeddings(List<Embedder> embedders, RouterConfig config) {
        this.embedders = List.copyOf(embedders);
        this.cache = Caffeine.newBuilder().maximumSize(config.embeddingCacheEntries()).build();
    }

    /** The vector of {@code text} under {@code model}; 400 when no embedder serves the model. */
    public float[] embed(String model, String text) {
        Key key = new Key(model, text);
        float[] cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Embedder embedder = embedders.stream().filter(e -> e.model().equals(model)).findFirst()
                .orElseThrow(() -> new StrataException.InvalidRequest("no_embedding_model", "text queries need the "
                        + "embedding model '" + model + "', which this router does not serve; send a vector"));
        float[] vector = embedder.embed(text);
        cache.put(key, vector);
        return vector;
    }

    /** Cached vectors (for tests and metrics). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
