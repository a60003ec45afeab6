package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How documents are spread over a collection's shards.
 * <ul>
 *   <li>{@code hash}: consistent hash of the id; a query visits every shard.</li>
 *   <li>{@code centroid}: nearest k-means centroid; a query visits the {@code nprobe} nearest shards.</li>
 *   <li>{@code hybrid}: nearest centroid picks a group of shards, the id's hash one shard in the group.</li>
 * </ul>
 */
public enum Sharding {
    HASH, CENTROID, HYBRID;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Sharding parse(String value) {
        if (value == null) {
            return HASH;
        }
        for (Sharding s : values()) {
            if (s.wireName().equals(value.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new StrataException.InvalidRequest(
                "sharding '" + value + "' is not supported; one of hash, centroid, hybrid");
    }
}
