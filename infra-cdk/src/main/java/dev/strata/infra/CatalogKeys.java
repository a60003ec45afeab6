package dev.strata.infra;

/**
 * Key and attribute names of the catalog table that the infrastructure must agree on with the catalog code.
 *
 * <p>One place in this module. When {@code dev.strata.catalog.CatalogSchema} lands in {@code common}, these
 * constants delegate to it so that there is a single definition.
 */
public final class CatalogKeys {
    /** Physical table name; the same in every region, since a global table's replicas share it. */
    public static final String TABLE_NAME = "strata-catalog";
    /** Partition key attribute (string), e.g. {@code COLLECTION#tenant#name}. */
    public static final String PARTITION_KEY = "pk";
    /** Sort key attribute (string). */
    public static final String SORT_KEY = "sk";
    /** Epoch-seconds attribute that expires node heartbeat items. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** The one global secondary index. */
    public static final String GSI1_NAME = "gsi1";
    /** Partition key of {@link #GSI1_NAME} (string). */
    public static final String GSI1_PARTITION_KEY = "gsi1pk";
    /** Sort key of {@link #GSI1_NAME} (string). */
    public static final String GSI1_SORT_KEY = "gsi1sk";

    private CatalogKeys() {}
}
