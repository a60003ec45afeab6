package dev.strata.catalog;

import java.time.Instant;

/**
 * An API key ({@code KEY#{sha256(key)}}); the key itself is never stored.
 *
 * @param keyHash   hex SHA-256 of the key
 * @param keyId     short public id for audit records (never the key)
 * @param tenant    tenant the key acts for
 * @param role      reader, writer or admin
 * @param createdAt creation time
 */
public record ApiKeyRecord(String keyHash, String keyId, String tenant, Role role, Instant createdAt) {

    /** Roles nest: admin can do what writer can, writer what reader can. */
    public enum Role {
        READER, WRITER, ADMIN;

        public boolean allows(Role needed) {
            return ordinal() >= needed.ordinal();
        }
    }
}
