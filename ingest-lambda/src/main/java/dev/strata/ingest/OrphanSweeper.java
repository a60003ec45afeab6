package dev.strata.ingest;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.RetiredSegment;
import dev.strata.catalog.SegmentRef;
import dev.strata.catalog.ShardRecord;
import dev.strata.store.SegmentStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes segment objects the catalog does not reference: builds that crashed or lost before their commit,
 * inputs of a compaction, segments of dropped collections. A prefix {@code segments/{t}/{c}/{shard}/{segmentId}/}
 * is deleted when no shard lists it and its segment is older than the grace period, measured from the later of
 * its creation (in its id, {@link SegmentIds}) and its retirement by a compaction. The grace period must exceed
 * the longest ingest (15 minutes in Lambda) so a build is never swept before it commits; prefixes whose id does
 * not carry a time are left alone. Thread-safe; run it from one scheduler.
 */
public final class OrphanSweeper {

    /** Default grace: well above the Lambda's 15-minute limit. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    private final Catalog catalog;
    private final SegmentStore store;
    private final IngestTelemetry telemetry;
    private final Clock clock;
    private final Duration grace;

    public OrphanSweeper(Catalog catalog, SegmentStore store, IngestTelemetry telemetry, Clock clock, Duration grace) {
        this.catalog = catalog;
        this.store = store;
        this.telemetry = telemetry;
        this.clock = clock;
        this.grace = grace;
    }

    /** Sweeps once; returns the prefixes deleted. */
    public List<String> sweep() {
        // Read the store before the catalog: a segment committed after this listing is referenced below.
        Set<String> prefixes = new LinkedHashSet<>();
        for (String key : store.list("segments/")) {
            String[] parts = key.split("/", 6);
            if (parts.length == 6) {
                prefixes.add(String.join("/", parts[0], parts[1], parts[2], parts[3], parts[4]) + "/");
            }
        }
        Set<String> referenced = new HashSet<>();
        Map<String, Instant> retiredAt = new HashMap<>();
        for (CollectionRecord c : catalog.listAllCollections()) {
            List<ShardRecord> shards = catalog.getShards(c.tenant(), c.name(), true);
            for (ShardRecord shard : shards) {
                shard.segments().stream().map(SegmentRef::key).forEach(referenced::add);
                for (RetiredSegment r : catalog.retiredSegments(c.tenant(), c.name(), shard.shard())) {
                    retiredAt.merge(r.key(), r.retiredAt(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        Instant cutoff = clock.instant().minus(grace);
        List<String> deleted = new java.util.ArrayList<>();
        for (String prefix : prefixes) {
            if (referenced.contains(prefix)) {
                continue;
            }
            String segmentId = prefix.substring(0, prefix.length() - 1);
            segmentId = segmentId.substring(segmentId.lastIndexOf('/') + 1);
            Instant created = SegmentIds.createdAt(segmentId);
            if (created == null) {
                continue;
            }
            Instant retired = retiredAt.get(prefix);
            Instant since = retired != null && retired.isAfter(created) ? retired : created;
            if (since.isBefore(cutoff)) {
                store.deletePrefix(prefix);
                deleted.add(prefix);
            }
        }
        if (!deleted.isEmpty()) {
            telemetry.event("sweep", "deleted " + deleted.size() + " unreferenced segment prefixes");
        }
        return deleted;
    }
}
