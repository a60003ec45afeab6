package dev.strata.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anUpsertIsWrittenWithoutADeleteField() throws Exception {
        // ingest refuses "delete":false, so an upsert line must not carry the field at all
        String line = json.writeValueAsString(new Document("x", new float[]{1f}, "t", Map.of("k", 1)));
        assertThat(line).isEqualTo("{\"id\":\"x\",\"vector\":[1.0],\"text\":\"t\",\"metadata\":{\"k\":1}}");
    }

    @Test
    void aTombstoneRoundTrips() throws Exception {
        String line = json.writeValueAsString(Document.tombstone("y"));
        assertThat(line).isEqualTo("{\"id\":\"y\",\"delete\":true}");
        assertThat(json.readValue(line, Document.class).isDelete()).isTrue();
    }
}
