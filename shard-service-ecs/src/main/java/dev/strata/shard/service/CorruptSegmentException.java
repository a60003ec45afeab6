package dev.strata.shard.service;

import dev.strata.catalog.SegmentRef;

/** A segment whose files failed verification; it is never served. */
final class CorruptSegmentException extends RuntimeException {

    CorruptSegmentException(SegmentRef ref, Throwable cause) {
        super("segment " + ref.segmentId() + " (" + ref.key() + ") failed verification: " + cause.getMessage(), cause);
    }
}
