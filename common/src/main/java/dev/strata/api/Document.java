package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One document of a batch: the wire form of a JSONL ingest line and of an item of
 * {@code POST /v1/collections/{c}/documents}.
 *
 * @param id       caller's id, 1..512 UTF-8 bytes
 * @param vector   the embedding, or null when {@code text} is to be embedded
 * @param text     passage text (returned with {@code include:["text"]}), at most 64 KiB
 * @param metadata flat map of scalars (string, number, boolean) or arrays of scalars, at most 8 KiB as JSON
 * @param delete   true for a tombstone ({@code {"id":"x","delete":true}}); then only {@code id} may be set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// isDelete() is not a property: without this Jackson writes "delete":false on every line, which ingest refuses
@com.fasterxml.jackson.annotation.JsonAutoDetect(isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public record Document(String id, float[] vector, String text, Map<String, Object> metadata, Boolean delete) {

    public Document(String id, float[] vector, String text, Map<String, Object> metadata) {
        this(id, vector, text, metadata, null);
    }

    public static Document tombstone(String id) {
        return new Document(id, null, null, null, Boolean.TRUE);
    }

    public boolean isDelete() {
        return Boolean.TRUE.equals(delete);
    }

    public Document withVector(float[] v) {
        return new Document(id, v, text, metadata, delete);
    }
}
