package dev.strata.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.CollectionSpec;
import dev.strata.api.StrataException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.strata.catalog.CatalogSchema.GSI1_PK;
import static dev.strata.catalog.CatalogSchema.GSI1_SK;
import static dev.strata.catalog.CatalogSchema.PK;
import static dev.strata.catalog.CatalogSchema.SK;

/**
 * Maps catalog records to and from DynamoDB items. Nested values (spec, segment lists, rejects, node maps) are
 * JSON strings, times are epoch milliseconds (N) except the TTL (epoch seconds), centroids are binary
 * ({@link CentroidCodec}). Stateless; thread-safe.
 */
final class CatalogItems {

    static final String VERSION = "version";
    static final String STATUS = "status";
    static final String SEGMENTS = "segments";
    static final String RETIRED = "retired";
    static final String CENTROIDS = "centroids";
    static final String DOCUMENT_COUNT = "documentCount";
    static final String UPDATED_AT = "updatedAt";
    static final String LAST_COMMIT_AT = "lastCommitAt";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<SegmentRef>> SEGMENT_LIST = new TypeReference<>() {};
    private static final TypeReference<List<RetiredJson>> RETIRED_LIST = new TypeReference<>() {};
    private static final TypeReference<List<BatchRecord.Reject>> REJECT_LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, Long>> LONG_MAP = new TypeReference<>() {};

    /** JSON form of a retired segment (millis, so no time module is needed). */
    record RetiredJson(String segmentId, String key, long retiredAtMillis) {}

    private CatalogItems() {}

    static EnhancedDocument.Builder item(String pk, String sk) {
        return EnhancedDocument.builder()
                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .putString(PK, pk)
                .putString(SK, sk);
    }

    // ---- collection ----

    static EnhancedDocument collection(CollectionRecord c) {
        EnhancedDocument.Builder b = item(CatalogSchema.collectionPk(c.tenant(), c.name()), CatalogSchema.TYPE_COLLECTION)
                .putString(GSI1_PK, CatalogSchema.ALL_COLLECTIONS)
                .putString(GSI1_SK, CatalogSchema.collectionGsiSk(c.tenant(), c.name()))
                .putString("tenant", c.tenant())
                .putString("name", c.name())
                .putString("spec", write(c.spec()))
                .putNumber(VERSION, c.version())
                .putString("homeRegion", c.homeRegion())
                .putNumber("createdAt", c.createdAt().toEpochMilli())
                .putNumber(UPDATED_AT, c.updatedAt().toEpochMilli())
                .putNumber(DOCUMENT_COUNT, c.documentCount());
        if (c.lastCommitAt() != null) {
            b.putNumber(LAST_COMMIT_AT, c.lastCommitAt().toEpochMilli());
        }
        if (c.centroids() != null && !c.centroids().isEmpty()) {
            b.putBytes(CENTROIDS, SdkBytes.fromByteArrayUnsafe(CentroidCodec.encode(c.centroids())));
        }
        return b.build();
    }

    static CollectionRecord collection(EnhancedDocument d) {
        SdkBytes centroids = d.isPresent(CENTROIDS) ? d.getBytes(CENTROIDS) : null;
        return new CollectionRecord(
                d.getString("tenant"),
                d.getString("name"),
                read(d.getString("spec"), CollectionSpec.class),
                d.getNumber(VERSION).longValue(),
                d.getString("homeRegion"),
                millis(d, "createdAt"),
                millis(d, UPDATED_AT),
                millis(d, LAST_COMMIT_AT),
                d.getNumber(DOCUMENT_COUNT).longValue(),
                centroids == null ? List.of() : CentroidCodec.decode(centroids.asByteArrayUnsafe()));
    }

    // ---- shard ----

    static EnhancedDocument shard(ShardRecord s, List<RetiredSegment> retired) {
        EnhancedDocument.Builder b = item(CatalogSchema.shardPk(s.tenant(), s.collection(), s.shard()),
                CatalogSchema.TYPE_SHARD)
                .putString("tenant", s.tenant())
                .putString("collection", s.collection())
                .putNumber("shard", s.shard())
                .putString(SEGMENTS, write(s.segments()))
                .putString(RETIRED, write(retired.stream()
                        .map(r -> new RetiredJson(r.segmentId(), r.key(), r.retiredAt().toEpochMilli())).toList()))
                .putNumber(VERSION, s.version());
        if (s.lastCommitAt() != null) {
            b.putNumber(LAST_COMMIT_AT, s.lastCommitAt().toEpochMilli());
        }
        return b.build();
    }

    static ShardRecord shard(EnhancedDocument d) {
        return new ShardRecord(
                d.getString("tenant"),
                d.getString("collection"),
                d.getNumber("shard").intValue(),
                List.copyOf(read(d.getString(SEGMENTS), SEGMENT_LIST)),
                d.getNumber(VERSION).longValue(),
                millis(d, LAST_COMMIT_AT));
    }

    static List<RetiredSegment> retired(EnhancedDocument d) {
        if (!d.isPresent(RETIRED)) {
            return List.of();
        }
        return read(d.getString(RETIRED), RETIRED_LIST).stream()
                .map(r -> new RetiredSegment(r.segmentId(), r.key(), Instant.ofEpochMilli(r.retiredAtMillis())))
                .toList();
    }

    // ---- batch ----

    static EnhancedDocument batch(BatchRecord b) {
        List<BatchRecord.Reject> inline = b.rejected() == null ? List.of()
                : b.rejected().subList(0, Math.min(b.rejected().size(), BatchRecord.MAX_REJECTS_INLINE));
        EnhancedDocument.Builder d = item(CatalogSchema.batchPk(b.tenant(), b.collection(), b.batchId()),
                CatalogSchema.TYPE_BATCH)
                .putString(GSI1_PK, CatalogSchema.batchesGsiPk(b.tenant(), b.collection()))
                .putString(GSI1_SK, b.batchId())
                .putString("tenant", b.tenant())
                .putString("collection", b.collection())
                .putString("batchId", b.batchId())
                .putString(STATUS, b.status().name())
                .putNumber("accepted", b.accepted())
                .putNumber("deleted", b.deleted())
                .putString("rejected", write(inline))
                .putNumber("rejectedCount", b.rejectedCount())
                .putNumber(VERSION, b.version())
                .putNumber("createdAt", b.createdAt().toEpochMilli())
                .putNumber(UPDATED_AT, b.updatedAt().toEpochMilli());
        putIfNotNull(d, "objectKey", b.objectKey());
        putIfNotNull(d, "rejectsKey", b.rejectsKey());
        putIfNotNull(d, "message", b.message());
        return d.build();
    }

    static BatchRecord batch(EnhancedDocument d) {
        return new BatchRecord(
                d.getString("tenant"),
                d.getString("collection"),
                d.getString("batchId"),
                BatchStatus.valueOf(d.getString(STATUS)),
                d.getString("objectKey"),
                d.getNumber("accepted").intValue(),
                d.getNumber("deleted").intValue(),
                List.copyOf(read(d.getString("rejected"), REJECT_LIST)),
                d.getNumber("rejectedCount").intValue(),
                d.getString("rejectsKey"),
                d.getNumber(VERSION).longValue(),
                d.getString("message"),
                millis(d, "createdAt"),
                millis(d, UPDATED_AT));
    }

    // ---- node ----

    static EnhancedDocument node(NodeRecord n) {
        return item(CatalogSchema.nodePk(n.region(), n.nodeId()), CatalogSchema.TYPE_NODE)
                .putString(GSI1_PK, CatalogSchema.nodesGsiPk(n.region()))
                .putString(GSI1_SK, n.nodeId())
                .putString("region", n.region())
                .putString("nodeId", n.nodeId())
                .putString("endpoint", n.endpoint())
                .putString("applied", write(n.applied() == null ? Map.of() : n.applied()))
                .putString("lagMs", write(n.lagMs() == null ? Map.of() : n.lagMs()))
                .putBoolean("ready", n.ready())
                .putNumber("load", n.load())
                .putNumber("heartbeatAt", n.heartbeatAt().toEpochMilli())
                .putNumber("expiresAtMillis", n.expiresAt().toEpochMilli())
                // TTL wants epoch seconds; round up so DynamoDB never deletes a node before it expires.
                .putNumber(CatalogSchema.TTL_ATTRIBUTE, (n.expiresAt().toEpochMilli() + 999) / 1000)
                .build();
    }

    static NodeRecord node(EnhancedDocument d) {
        return new NodeRecord(
                d.getString("region"),
                d.getString("nodeId"),
                d.getString("endpoint"),
                Map.copyOf(read(d.getString("applied"), LONG_MAP)),
                Map.copyOf(read(d.getString("lagMs"), LONG_MAP)),
                Boolean.TRUE.equals(d.getBoolean("ready")),
                d.getNumber("load").doubleValue(),
                millis(d, "heartbeatAt"),
                millis(d, "expiresAtMillis"));
    }

    // ---- API key ----

    static EnhancedDocument apiKey(ApiKeyRecord k) {
        return item(CatalogSchema.keyPk(k.keyHash()), CatalogSchema.TYPE_KEY)
                .putString("keyHash", k.keyHash())
                .putString("keyId", k.keyId())
                .putString("tenant", k.tenant())
                .putString("role", k.role().name())
                .putNumber("createdAt", k.createdAt().toEpochMilli())
                .build();
    }

    static ApiKeyRecord apiKey(EnhancedDocument d) {
        return new ApiKeyRecord(d.getString("keyHash"), d.getString("keyId"), d.getString("tenant"),
                ApiKeyRecord.Role.valueOf(d.getString("role")), millis(d, "createdAt"));
    }

    // ---- helpers ----

    private static void putIfNotNull(EnhancedDocument.Builder b, String name, String value) {
        if (value != null) {
            b.putString(name, value);
        }
    }

    static Instant millis(EnhancedDocument d, String name) {
        return d.isPresent(name) && !d.isNull(name) ? Instant.ofEpochMilli(d.getNumber(name).longValue()) : null;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StrataException.Internal("catalog_encoding", "cannot encode catalog value: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StrataException.Internal("catalog_corrupt", "cannot decode catalog item: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StrataException.Internal("catalog_corrupt", "cannot decode catalog item: " + e.getMessage(), e);
        }
    }
}
