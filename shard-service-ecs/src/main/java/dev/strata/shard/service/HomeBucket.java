package dev.strata.shard.service;

import dev.strata.store.SegmentStore;

import java.util.Objects;

/**
 * The home region's segment bucket (DESIGN §6): where ingest writes a collection's segments before S3 replication
 * copies them into this region's bucket. A segment file the region's bucket does not hold yet is read from here.
 *
 * @param bucket name of the home bucket ({@code strata.home.bucket}, {@code STRATA_HOME_BUCKET}); the fallback is
 *               skipped when it is the region's own bucket
 * @param store  the store over that bucket
 */
public record HomeBucket(String bucket, SegmentStore store) {

    public HomeBucket {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(store, "store");
    }
}
