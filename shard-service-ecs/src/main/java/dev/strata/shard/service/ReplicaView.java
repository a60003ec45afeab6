package dev.strata.shard.service;

import dev.strata.shard.ShardIndex;

import java.time.Instant;
import java.util.List;

/**
 * What a replica serves at one moment: the shard's segments as of one collection version, and the index over
 * them (with the delete mask of newer over older segments). Immutable; a commit makes a new view that replaces
 * this one in one atomic step, so a search sees either all of a commit or none of it.
 *
 * <p>Reference counted: the replica holds one reference while the view is current, each search one while it
 * runs. When the last goes, the view releases its segments (which close when no other view lists them).
 * {@link #tryAcquire()} never revives a view whose count reached zero. Thread-safe.
 */
final class ReplicaView {

    private final long version;
    private final List<CachedSegment> segments;
    private final ShardIndex index;
    private final Instant appliedAt;
    private final RefCount references;

    /** Takes over one reference of each segment (the caller retained them for this view). */
    ReplicaView(long version, List<CachedSegment> segments, ShardIndex index, Instant appliedAt) {
        this.version = version;
        this.segments = List.copyOf(segments);
        this.index = index;
        this.appliedAt = appliedAt;
        this.references = new RefCount("replica view at version " + version,
                () -> this.segments.forEach(CachedSegment::release));
    }

    /** The same segments and index at a later collection version (a commit that did not touch this shard). */
    ReplicaView atVersion(long newVersion, Instant now) {
        segments.forEach(CachedSegment::retain);
        return new ReplicaView(newVersion, segments, index, now);
    }

    long version() {
        return version;
    }

    List<CachedSegment> segments() {
        return segments;
    }

    ShardIndex index() {
        return index;
    }

    Instant appliedAt() {
        return appliedAt;
    }

    /** Takes a reference for a search unless the view was already released by its replica and every search. */
    boolean tryAcquire() {
        return references.tryRetain();
    }

    /** Drops a reference; the last one releases the view's segments. */
    void release() {
        references.release();
    }

    /** Segment ids in order, to tell whether a shard's segment list changed. */
    List<String> segmentIds() {
        return segments.stream().map(s -> s.ref().segmentId()).toList();
    }
}
