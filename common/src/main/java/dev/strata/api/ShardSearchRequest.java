package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * Body of the shard service's {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search}.
 *
 * @param vector          query vector (already normalised for cosine by the router is NOT assumed; the shard
 *                        normalises for cosine collections)
 * @param k               1..1000
 * @param searchWidth     candidate list size (ef); null = collection default
 * @param filter          metadata filter or null
 * @param includeMetadata return metadata with each hit
 * @param includeText     return text with each hit
 * @param minVersion      fail with 409 unless this replica applied at least this version; null = any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardSearchRequest(
        float[] vector,
        int k,
        Integer searchWidth,
        Map<String, Object> filter,
        boolean includeMetadata,
        boolean includeText,
        Long minVersion) {}
