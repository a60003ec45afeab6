package dev.strata.catalog;

/**
 * A committed segment, as listed in its shard's item.
 *
 * @param segmentId        unique id (also the last part of its store key)
 * @param key              store key prefix of the segment's files ({@code segments/{tenant}/{collection}/{shard}/{segmentId}/})
 * @param version          collection version that committed it; segments of a shard are ordered by it
 * @param rows             rows (documents) in the segment
 * @param tombstones       ids it deletes from older segments
 * @param bytes            total size of its files
 * @param checksum         checksum of its manifest (hex CRC32C); a download that does not match is refused
 */
public record SegmentRef(
        String segmentId,
        String key,
        long version,
        int rows,
        int tombstones,
        long bytes,
        String checksum) {}
