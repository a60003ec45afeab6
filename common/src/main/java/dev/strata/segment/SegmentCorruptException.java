package dev.strata.segment;

import dev.strata.api.StrataException;

/**
 * A segment on disk failed verification: a checksum does not match its manifest, a file is missing or has the
 * wrong size, the format version is not one this reader knows, or a file's structure is inconsistent.
 * A segment that throws this on {@link SegmentReader#open} is never served.
 *
 * <p>The message names the segment directory, the file and the expected and actual values. Services map it to
 * the closed error set with {@link #toStrataException()} (code {@value #CODE}, HTTP 500).
 */
public final class SegmentCorruptException extends RuntimeException {

    /** Stable error code of a corrupt or unreadable segment. */
    public static final String CODE = "segment_corrupt";

    private final String file;

    public SegmentCorruptException(String file, String message) {
        this(file, message, null);
    }

    public SegmentCorruptException(String file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** Name of the file that failed (e.g. {@code graph.jvg}), or {@code manifest.json}. */
    public String file() {
        return file;
    }

    /** This failure as a member of Strata's closed error set. */
    public StrataException toStrataException() {
        return new StrataException.Internal(CODE, getMessage(), this);
    }
}
