package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Similarity metric of a collection. Scores are "higher is better" for all three. */
public enum Metric {
    /** Cosine similarity; vectors are L2-normalised on the way in, so it is computed as a dot product. */
    COSINE,
    /** Inner product of the raw vectors. */
    DOT,
    /** Euclidean distance, reported as a similarity (higher is nearer). */
    L2;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Metric parse(String value) {
        if (value == null) {
            throw new StrataException.InvalidRequest("metric is required; one of cosine, dot, l2");
        }
        for (Metric m : values()) {
            if (m.wireName().equals(value.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new StrataException.InvalidRequest("metric '" + value + "' is not supported; one of cosine, dot, l2");
    }
}
