package dev.strata.router.document;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strata.catalog.BatchRecord;

import java.util.List;
import java.util.Locale;

/**
 * A batch as the API shows it: the 202 answer of a write and the answer of {@code GET .../batches/{b}}.
 *
 * @param batch         batch id
 * @param status        {@code pending}, {@code applied} or {@code rejected}
 * @param version       collection version the batch produced (absent until applied)
 * @param accepted      lines applied (absent until applied)
 * @param rejected      rejected lines with reasons (the first 100; {@code rejectedCount} counts all)
 * @param rejectedCount number of rejected lines
 * @param message       why the whole batch was rejected
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchView(
        String batch,
        String status,
        Long version,
        Integer accepted,
        List<BatchRecord.Reject> rejected,
        Integer rejectedCount,
        String message) {

    static BatchView pending(String batchId) {
        return new BatchView(batchId, "pending", null, null, null, null, null);
    }

    static BatchView of(BatchRecord b) {
        boolean done = b.status() != dev.strata.catalog.BatchStatus.PENDING;
        return new BatchView(b.batchId(), b.status().name().toLowerCase(Locale.ROOT),
                done && b.version() > 0 ? b.version() : null,
                done ? b.accepted() : null,
                done ? (b.rejected() == null ? List.of() : b.rejected()) : null,
                done ? b.rejectedCount() : null,
                b.message());
    }

    /** True once ingest is done with the batch (applied or rejected). */
    public boolean finished() {
        return !"pending".equals(status);
    }
}
