package dev.strata.ingest;

import dev.strata.api.Document;
import dev.strata.catalog.BatchRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valid content of one ingest object after validation, with the last line for each id winning: upserts by
 * id (in first-seen order) and deleted ids, plus every rejected line. Mutable while it is filled by
 * {@link BatchParser} and the embedding step; not thread-safe.
 */
final class ParsedBatch {

    private final Map<String, Document> upserts = new LinkedHashMap<>();
    private final Map<String, Integer> upsertLines = new LinkedHashMap<>();
    private final Set<String> deletes = new LinkedHashSet<>();
    private final List<BatchRecord.Reject> rejects = new ArrayList<>();
    private int acceptedLines;

    void accept(int line, Document document) {
        acceptedLines++;
        String id = document.id();
        if (document.isDelete()) {
            upserts.remove(id);
            upsertLines.remove(id);
            deletes.add(id);
        } else {
            deletes.remove(id);
            upserts.remove(id); // re-insert so the order is that of the winning line
            upserts.put(id, document);
            upsertLines.put(id, line);
        }
    }

    void reject(int line, String id, String reason) {
        rejects.add(new BatchRecord.Reject(line, id, reason));
    }

    /** Rejects an upsert that was accepted (e.g. its text could not be embedded to the right dimension). */
    void rejectUpsert(String id, String reason) {
        upserts.remove(id);
        Integer line = upsertLines.remove(id);
        acceptedLines--;
        rejects.add(new BatchRecord.Reject(line == null ? 0 : line, id, reason));
    }

    void replace(Document document) {
        upserts.put(document.id(), document);
    }

    Collection<Document> upserts() {
        return upserts.values();
    }

    Set<String> deletes() {
        return deletes;
    }

    /** Rejected lines in line order. */
    List<BatchRecord.Reject> rejects() {
        List<BatchRecord.Reject> sorted = new ArrayList<>(rejects);
        sorted.sort(java.util.Comparator.comparingInt(BatchRecord.Reject::line));
        return sorted;
    }

    int acceptedLines() {
        return acceptedLines;
    }
}
