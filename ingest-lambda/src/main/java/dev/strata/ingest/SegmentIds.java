package dev.strata.ingest;

import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Segment ids: {@code {creation epoch millis, 13 digits}-{16 random hex}}. Unique without coordination (a retried
 * build never overwrites another attempt's objects), sortable by creation time, and they carry their age, which
 * the orphan sweeper uses for its grace period. Stateless; thread-safe.
 */
public final class SegmentIds {

    private SegmentIds() {}

    public static String newId(Instant now) {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return String.format("%013d-%s", now.toEpochMilli(), HexFormat.of().formatHex(random));
    }

    /** Creation time of an id made by {@link #newId}, or null for an id of another shape. */
    public static Instant createdAt(String segmentId) {
        int dash = segmentId.indexOf('-');
        if (dash != 13) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(segmentId.substring(0, dash)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Store key prefix of a segment: {@code segments/{tenant}/{collection}/{shard}/{segmentId}/}. */
    public static String keyPrefix(String tenant, String collection, int shard, String segmentId) {
        return "segments/" + tenant + "/" + collection + "/" + shard + "/" + segmentId + "/";
    }
}
