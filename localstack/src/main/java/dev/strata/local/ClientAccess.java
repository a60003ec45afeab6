package dev.strata.local;

import software.amazon.awssdk.services.s3.S3Client;

/** Clients of a running local system for other packages (the benchmark attaching to {@code strata-local up}). */
public final class ClientAccess {
    private ClientAccess() {}

    /** An S3 client for the system's S3 endpoint; the caller closes it. */
    public static S3Client s3(LocalEndpoints endpoints) {
        return ClientCommands.s3Client(endpoints);
    }
}
