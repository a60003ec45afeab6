package dev.strata.router.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.CollectionSpec;
import dev.strata.api.Document;
import dev.strata.api.DocumentRules;
import dev.strata.api.StrataException;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.router.RouterConfig;
import dev.strata.router.auth.AuditLog;
import dev.strata.router.auth.Caller;
import dev.strata.router.collection.CollectionCache;
import dev.strata.router.http.RequestReader;
import dev.strata.store.SegmentStore;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes documents and deletes posted to the API as one JSONL object under {@code ingest/} (the write-ahead log:
 * once the object is stored the write is durable), so they take the same path as uploaded batches; reports and
 * optionally waits for the batch's status. Thread-safe.
 */
@Singleton
public final class DocumentService {

    private static final long POLL_MILLIS = 25;

    private final Catalog catalog;
    private final SegmentStore store;
    private final CollectionCache collections;
    private final RequestReader reader;
    private final ObjectMapper lineMapper;
    private final AuditLog audit;
    private final DocumentValidator validator;
    private final long waitNanos;

    public DocumentService(Catalog catalog, SegmentStore store, CollectionCache collections, RequestReader reader,
                           AuditLog audit, RouterConfig config) {
        this.catalog = catalog;
        this.store = store;
        this.collections = collections;
        this.reader = reader;
        this.lineMapper = reader.mapper();
        this.audit = audit;
        this.validator = new DocumentValidator();
        this.waitNanos = config.batchWaitTimeout().toNanos();
    }

    /** Validates and writes upserts; returns the pending batch, or its final state when {@code wait}. */
    public BatchView upsert(Caller caller, String name, byte[] body, boolean wait) {
        DocumentValidator.checkBodySize(body);
        CollectionSpec.validateName(name);
        DocumentsRequest request = reader.read(body, DocumentsRequest.class, "documents request");
        List<Document> documents = request.documents() == null ? List.of() : request.documents();
        validator.checkCount(documents.size(), "documents");
        CollectionRecord collection = collections.get(caller.tenant(), name, false);
        validator.check(documents, collection);
        long deletes = documents.stream().filter(Document::isDelete).count();
        return write(caller, name, documents, "documents.upsert", documents.size() - deletes, deletes, wait);
    }

    /** Validates and writes deletes ({@code {"ids":[...]}}). */
    public BatchView delete(Caller caller, String name, byte[] body, boolean wait) {
        DocumentValidator.checkBodySize(body);
        CollectionSpec.validateName(name);
        DeleteRequest request = reader.read(body, DeleteRequest.class, "delete request");
        List<String> ids = request.ids() == null ? List.of() : request.ids();
        validator.checkCount(ids.size(), "ids");
        for (int i = 0; i < ids.size(); i++) {
            DocumentRules.checkId("ids[" + i + "]", ids.get(i));
        }
        collections.get(caller.tenant(), name, false);
        List<Document> tombstones = ids.stream().map(Document::tombstone).toList();
        return write(caller, name, tombstones, "documents.delete", 0, ids.size(), wait);
    }

    /** Status of a batch from the catalog (written pending by the API at once, then by ingest); 404 otherwise. */
    public BatchView batch(Caller caller, String name, String batchId) {
        CollectionSpec.validateName(name);
        collections.get(caller.tenant(), name, false);
        return catalog.findBatch(caller.tenant(), name, batchId).map(BatchView::of).orElseThrow(() ->
                new StrataException.NotFound("batch_not_found", "batch '" + batchId + "' of collection '" + name
                        + "' does not exist"));
    }

    private BatchView write(Caller caller, String name, List<Document> documents, String action,
                            long upserts, long deletes, boolean wait) {
        String key = BatchIds.newObjectKey(caller.tenant(), name);
        byte[] jsonl = toJsonl(documents);
        store.put(key, jsonl, "application/x-ndjson", Map.of("strata-key-id", caller.keyId()));
        String batchId = BatchIds.batchIdOf(store, key);
        // Recorded pending at once so GET .../batches/{b} knows it before ingest starts; ingest resumes this item.
        java.time.Instant now = java.time.Instant.now();
        catalog.putBatchIfAbsent(new BatchRecord(caller.tenant(), name, batchId, BatchStatus.PENDING, key, 0, 0,
                List.of(), 0, null, 0, null, now, now));
        audit.record(caller, action, name, Map.of("batch", batchId, "object", key, "upserts", upserts,
                "deletes", deletes, "bytes", jsonl.length));
        return wait ? await(caller.tenant(), name, batchId) : BatchView.pending(batchId);
    }

    private BatchView await(String tenant, String name, String batchId) {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            Optional<BatchRecord> found = catalog.findBatch(tenant, name, batchId);
            if (found.isPresent() && found.get().status() != BatchStatus.PENDING) {
                BatchView done = BatchView.of(found.get());
                if (done.version() != null) {
                    collections.observe(tenant, name, done.version());
                }
                return done;
            }
            if (System.nanoTime() > deadline) {
                return BatchView.pending(batchId);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return BatchView.pending(batchId);
            }
        }
    }

    private byte[] toJsonl(List<Document> documents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(documents.size() * 256);
        try {
            for (Document d : documents) {
                out.write(lineMapper.writeValueAsBytes(d));
                out.write('\n');
            }
        } catch (JsonProcessingException e) {
            throw new StrataException.Internal("serialisation_failed", "cannot write a document as JSON: "
                    + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
