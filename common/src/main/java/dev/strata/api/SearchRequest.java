package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/collections/{c}/search}: exactly one of {@code vector} or {@code text}.
 *
 * @param vector      query embedding
 * @param text        query text, embedded with the collection's model
 * @param k           matches wanted, 1..1000 (default 10)
 * @param filter      metadata filter (see {@code dev.strata.filter}), or null
 * @param include     any of {@code "metadata"}, {@code "text"}
 * @param consistency {@code bounded} (default) or {@code fresh}
 * @param minVersion  answer only from replicas that applied at least this collection version (read-your-writes)
 * @param searchWidth candidate list size per shard (ef); default from the collection's index parameters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchRequest(
        float[] vector,
        String text,
        Integer k,
        Map<String, Object> filter,
        List<String> include,
        Consistency consistency,
        Long minVersion,
        Integer searchWidth) {

    public static final int DEFAULT_K = 10;

    public int kOrDefault() {
        return k == null ? DEFAULT_K : k;
    }

    public boolean includes(String what) {
        return include != null && include.contains(what);
    }
}
