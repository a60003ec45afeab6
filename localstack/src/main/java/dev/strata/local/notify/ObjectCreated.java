package dev.strata.local.notify;

/** What an S3 {@code ObjectCreated} notification carries that ingest needs: bucket, key, ETag and size. */
public record ObjectCreated(String bucket, String key, String etag, long size) {}
