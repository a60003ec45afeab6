package dev.strata.shard.service;

import dev.strata.api.Limits;
import dev.strata.api.StrataException;
import dev.strata.catalog.NodeRecord;

/**
 * One shard of one collection of one tenant: the unit that is placed, loaded and searched.
 *
 * @param tenant     owning tenant
 * @param collection collection name
 * @param shard      shard number, 0..shards-1
 */
public record ShardKey(String tenant, String collection, int shard) {

    /** Parses the shard number of a URL path; 400 naming the value when it is not a shard number. */
    public static ShardKey parse(String tenant, String collection, String shard) {
        int number;
        try {
            number = Integer.parseInt(shard);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 0 || number >= Limits.MAX_SHARDS) {
            throw new StrataException.InvalidRequest("shard is '" + shard + "'; it must be a shard number between 0 and "
                    + (Limits.MAX_SHARDS - 1));
        }
        return new ShardKey(tenant, collection, number);
    }

    /** The key used in heartbeats and metric tags: {@code tenant/collection/shard}. */
    public String label() {
        return NodeRecord.shardKey(tenant, collection, shard);
    }

    @Override
    public String toString() {
        return label();
    }
}
