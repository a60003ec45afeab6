package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** One search hit: the document id, its similarity (higher is nearer) and what {@code include} asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Match(String id, float score, Map<String, Object> metadata, String text) {}
