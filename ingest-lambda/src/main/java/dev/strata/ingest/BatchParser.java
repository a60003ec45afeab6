package dev.strata.ingest;

import dev.strata.api.Document;
import dev.strata.api.StrataException;
import dev.strata.catalog.CollectionRecord;
import dev.strata.embed.Embedder;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ingest object into a {@link ParsedBatch}: streams its lines ({@link JsonlLines}), validates each
 * ({@link LineValidator}), keeps the last line per id, then embeds the texts of documents without a vector, in
 * batches of {@link IngestConfig#embedBatch()}. Stateless apart from its configuration; thread-safe.
 */
final class BatchParser {

    /** Lines validated together; bounds the memory of lines read ahead. */
    static final int VALIDATION_CHUNK = 512;

    private final IngestConfig config;
    private final Embedder embedder;

    BatchParser(IngestConfig config, Embedder embedder) {
        this.config = config;
        this.embedder = embedder;
    }

    /**
     * @throws JsonlLines.LimitExceeded when the object breaks a per-object limit (the whole batch is refused)
     * @throws StrataException.Unavailable when texts need embedding and no embedder for the model is present
     */
    ParsedBatch parse(InputStream object, boolean gzip, CollectionRecord collection) throws IOException {
        LineValidator validator = new LineValidator(collection.name(), collection.spec().dimension(),
                collection.spec().embedding() != null);
        ParsedBatch batch = new ParsedBatch();
        List<JsonlLines.Line> chunk = new ArrayList<>(VALIDATION_CHUNK);
        try (JsonlLines lines = new JsonlLines(object, gzip, config.maxLines(), config.maxBytes(),
                config.maxLineBytes())) {
            for (JsonlLines.Line line = lines.next(); line != null; line = lines.next()) {
                chunk.add(line);
                if (chunk.size() == VALIDATION_CHUNK) {
                    validate(chunk, validator, batch);
                    chunk.clear();
                }
            }
        }
        validate(chunk, validator, batch);
        embedTexts(batch, collection);
        return batch;
    }

    /**
     * Validates a chunk of lines in parallel (JSON parsing is most of the parse cost and lines are independent),
     * then applies the results in line order, so the last line for an id still wins.
     */
    private void validate(List<JsonlLines.Line> chunk, LineValidator validator, ParsedBatch batch) {
        List<LineValidator.Result> results = chunk.parallelStream()
                .map(line -> line.tooLong()
                        ? new LineValidator.Rejected(line.number(), null, "line has " + line.bytes()
                                + " bytes; at most " + config.maxLineBytes() + " are allowed")
                        : validator.validate(line.number(), line.text()))
                .toList();
        for (LineValidator.Result result : results) {
            switch (result) {
                case LineValidator.Accepted a -> batch.accept(a.line(), a.document());
                case LineValidator.Rejected r -> batch.reject(r.line(), r.id(), r.reason());
            }
        }
    }

    private void embedTexts(ParsedBatch batch, CollectionRecord collection) {
        List<Document> pending = batch.upserts().stream().filter(d -> d.vector() == null).toList();
        if (pending.isEmpty()) {
            return;
        }
        String model = collection.spec().embedding();
        if (embedder == null || !embedder.model().equalsIgnoreCase(model)) {
            throw new StrataException.Unavailable("embedder_unavailable", "collection '" + collection.name()
                    + "' embeds with model '" + model + "' but this ingest has "
                    + (embedder == null ? "no embedder" : "only model '" + embedder.model() + "'")
                    + "; " + pending.size() + " documents need embedding");
        }
        int dimension = collection.spec().dimension();
        for (int from = 0; from < pending.size(); from += config.embedBatch()) {
            List<Document> chunk = pending.subList(from, Math.min(pending.size(), from + config.embedBatch()));
            List<String> texts = new ArrayList<>(chunk.size());
            chunk.forEach(d -> texts.add(d.text()));
            List<float[]> vectors = embedder.embed(texts);
            for (int i = 0; i < chunk.size(); i++) {
                float[] v = vectors.get(i);
                if (v.length != dimension) {
                    batch.rejectUpsert(chunk.get(i).id(), "embedding model '" + model + "' returned " + v.length
                            + " values; collection '" + collection.name() + "' has dimension " + dimension);
                } else {
                    batch.replace(chunk.get(i).withVector(v));
                }
            }
        }
    }
}
