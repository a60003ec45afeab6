package dev.strata.api;

/** The limits every entry point enforces, in one place so errors and docs agree. */
public final class Limits {
    public static final int MIN_DIMENSION = 1;
    public static final int MAX_DIMENSION = 4096;
    public static final int MAX_SHARDS = 256;
    public static final int MAX_REPLICAS = 5;
    public static final int MAX_K = 1000;
    public static final int MAX_SEARCH_WIDTH = 4096;
    public static final int MAX_ID_BYTES = 512;
    public static final int MAX_METADATA_BYTES = 8 * 1024;
    public static final int MAX_TEXT_BYTES = 64 * 1024;
    /** Documents in one API call ({@code POST .../documents}). */
    public static final int MAX_BATCH_DOCUMENTS = 1000;
    /** Bytes of one API call's body. */
    public static final int MAX_BATCH_BYTES = 6 * 1024 * 1024;
    /** Lines in one ingest object under {@code ingest/}. */
    public static final int MAX_INGEST_LINES = 1_000_000;
    /** Uncompressed bytes of one ingest object. */
    public static final long MAX_INGEST_BYTES = 2L * 1024 * 1024 * 1024;
    /** Collection names: lowercase letters, digits, '-' and '_', 1..64 characters, starting with a letter or digit. */
    public static final String COLLECTION_NAME_PATTERN = "[a-z0-9][a-z0-9_-]{0,63}";

    private Limits() {}
}
