package dev.strata.shard;

import dev.strata.filter.Filter;

/**
 * One k-NN query against a shard in process.
 *
 * @param vector          the query vector (normalised by the segment under cosine)
 * @param k               matches wanted, 1..{@link dev.strata.api.Limits#MAX_K}
 * @param searchWidth     graph candidate list size (ef) per segment; 0 = the default
 *                        ({@link dev.strata.api.IndexParams#DEFAULTS}); raised to at least {@code k}
 * @param filter          metadata filter, or null for none
 * @param includeMetadata return each match's metadata
 * @param includeText     return each match's text
 */
public record ShardQuery(float[] vector, int k, int searchWidth, Filter filter, boolean includeMetadata,
                         boolean includeText) {

    /** A query with no filter and nothing included. */
    public static ShardQuery of(float[] vector, int k, int searchWidth) {
        return new ShardQuery(vector, k, searchWidth, null, false, false);
    }
}
