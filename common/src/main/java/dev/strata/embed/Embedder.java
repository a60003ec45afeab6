package dev.strata.embed;

import java.util.List;

/**
 * Turns text into vectors, for documents without one and for text queries.
 * Implementations: Bedrock (in AWS) and the in-process ONNX all-MiniLM-L6-v2 model (local emulation).
 * Implementations are thread-safe; the caller owns and closes them.
 */
public interface Embedder extends AutoCloseable {

    /** The model name a collection refers to, e.g. {@code all-minilm-l6-v2}. */
    String model();

    /** Output dimension. */
    int dimension();

    /** Embeds each text; the result has one vector per input, in order. */
    List<float[]> embed(List<String> texts);

    default float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    @Override
    default void close() {}
}
