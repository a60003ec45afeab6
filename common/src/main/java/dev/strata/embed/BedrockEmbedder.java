package dev.strata.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.api.StrataException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Embedder} on Amazon Bedrock, Titan Text Embeddings v2 ({@code amazon.titan-embed-text-v2:0}), through an
 * injected {@link BedrockRuntimeClient} (owned and closed by the caller).
 *
 * <p>Request body: {@code {"inputText": text, "dimensions": 256|512|1024, "normalize": true}}; response:
 * {@code {"embedding": [...], "inputTextTokenCount": n}}. Titan v2 embeds one text per call, so a list is
 * embedded text by text; repeated texts are served from an {@link EmbeddingCache}. Texts longer than
 * {@link #MAX_INPUT_CHARS} characters (Titan's documented input limit) are cut to it.
 *
 * <p>Errors: throttling → {@link StrataException.RateLimited}; a refused input → {@link StrataException.InvalidRequest};
 * anything else from the SDK → {@link StrataException.Unavailable} ({@code embedder_unavailable}). Thread-safe.
 */
public final class BedrockEmbedder implements Embedder {

    /** Titan Text Embeddings v2. */
    public static final String TITAN_V2 = "amazon.titan-embed-text-v2:0";
    /** Output sizes Titan v2 supports. */
    public static final Set<Integer> DIMENSIONS = Set.of(256, 512, 1024);
    /** Titan v2 accepts at most 50,000 characters per input. */
    public static final int MAX_INPUT_CHARS = 50_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BedrockRuntimeClient client;
    private final String modelId;
    private final String modelName;
    private final int dimension;
    private final EmbeddingCache cache;

    /**
     * @param client    Bedrock runtime client
     * @param modelId   Bedrock model id, normally {@link #TITAN_V2}
     * @param modelName the name collections use for this model (their {@code embedding} field)
     * @param dimension 256, 512 or 1024
     * @param cache     cache of hot texts (capacity 0 to disable)
     */
    public BedrockEmbedder(BedrockRuntimeClient client, String modelId, String modelName, int dimension,
                           EmbeddingCache cache) {
        if (!DIMENSIONS.contains(dimension)) {
            throw new StrataException.InvalidRequest("dimension is " + dimension + "; Titan v2 supports 256, 512 or 1024");
        }
        this.client = client;
        this.modelId = modelId;
        this.modelName = modelName;
        this.dimension = dimension;
        this.cache = cache;
    }

    /** Titan v2 under its model id, with a cache of 10,000 texts. */
    public static BedrockEmbedder titanV2(BedrockRuntimeClient client, int dimension) {
        return new BedrockEmbedder(client, TITAN_V2, TITAN_V2, dimension, new EmbeddingCache(10_000));
    }

    @Override
    public String model() {
        return modelName;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] cached = cache.get(text);
            if (cached == null) {
                cached = invoke(text);
                cache.put(text, cached);
            }
            out.add(cached);
        }
        return out;
    }

    private float[] invoke(String text) {
        if (text == null || text.isBlank()) {
            throw new StrataException.InvalidRequest("text is empty; there is nothing to embed");
        }
        String input = text.length() > MAX_INPUT_CHARS ? text.substring(0, MAX_INPUT_CHARS) : text;
        ObjectNode body = JSON.createObjectNode()
                .put("inputText", input)
                .put("dimensions", dimension)
                .put("normalize", true);
        InvokeModelResponse response;
        try {
            response = client.invokeModel(r -> r.modelId(modelId)
                    .contentType("application/json")
                    .accept("application/json")
                    .body(SdkBytes.fromUtf8String(body.toString())));
        } catch (ThrottlingException e) {
            throw new StrataException.RateLimited("Bedrock is throttling model " + modelId + ": " + e.getMessage(), 1);
        } catch (ValidationException e) {
            throw new StrataException.InvalidRequest("embedding_refused",
                    "Bedrock refused the text for model " + modelId + ": " + e.getMessage());
        } catch (SdkException e) {
            throw new StrataException.Unavailable("embedder_unavailable",
                    "Bedrock model " + modelId + " cannot be reached: " + e.getMessage(), e);
        }
        return parse(response.body().asByteArrayUnsafe());
    }

    private float[] parse(byte[] json) {
        JsonNode embedding;
        try {
            embedding = JSON.readTree(json).get("embedding");
        } catch (IOException e) {
            throw new StrataException.Unavailable("embedder_unavailable",
                    "Bedrock model " + modelId + " answered with invalid JSON: " + e.getMessage(), e);
        }
        if (embedding == null || !embedding.isArray() || embedding.size() != dimension) {
            throw new StrataException.Unavailable("embedder_unavailable", "Bedrock model " + modelId
                    + " answered with " + (embedding == null || !embedding.isArray() ? "no embedding array"
                    : embedding.size() + " values") + "; expected " + dimension);
        }
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) embedding.get(i).asDouble();
        }
        return v;
    }
}
