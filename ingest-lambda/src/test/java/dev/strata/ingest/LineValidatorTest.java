package dev.strata.ingest;

import dev.strata.api.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LineValidatorTest {

    private final LineValidator vectorsOnly = new LineValidator("docs", 3, false);
    private final LineValidator withModel = new LineValidator("docs", 3, true);

    static Stream<Arguments> malformedLines() {
        String longId = "x".repeat(513);
        String bigText = "t".repeat(64 * 1024 + 1);
        String bigMeta = "m".repeat(8 * 1024);
        return Stream.of(
                Arguments.of("{\"id\":\"a\",", null, "line is not valid JSON (column 11)"),
                Arguments.of("[1,2,3]", null, "line is not a JSON object"),
                Arguments.of("{\"vector\":[1,2,3]}", null, "id is required"),
                Arguments.of("{\"id\":7,\"vector\":[1,2,3]}", null, "id must be a non-empty string"),
                Arguments.of("{\"id\":\"" + longId + "\",\"vector\":[1,2,3]}", longId,
                        "id has 513 bytes; at most 512 are allowed"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2]}", "a", "vector has 2 values; collection 'docs' has dimension 3"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,NaN,2]}", "a", "vector[1] is NaN; values must be finite numbers"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,Infinity]}", "a",
                        "vector[2] is Infinity; values must be finite numbers"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,1e39]}", "a",
                        "vector[2] is Infinity; values must be finite numbers"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,\"2\",3]}", "a", "vector[1] is not a number"),
                Arguments.of("{\"id\":\"a\",\"vector\":\"1,2,3\"}", "a", "vector must be an array of numbers"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"metadata\":{\"k\":\"" + bigMeta + "\"}}", "a",
                        "metadata has 8200 bytes as JSON; at most 8192 are allowed"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"metadata\":{\"k\":{\"nested\":1}}}", "a",
                        "metadata.k is an object; metadata values must be scalars or arrays of scalars"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"metadata\":{\"k\":[1,[2]]}}", "a",
                        "metadata.k[1] is an array; metadata values must be scalars or arrays of scalars"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"metadata\":{\"k\":null}}", "a",
                        "metadata.k is null; metadata values must be scalars or arrays of scalars"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"metadata\":[1]}", "a", "metadata must be a JSON object"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"text\":\"" + bigText + "\"}", "a",
                        "text has 65537 bytes; at most 65536 are allowed"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"text\":5}", "a", "text must be a string"),
                Arguments.of("{\"id\":\"a\",\"vector\":[1,2,3],\"score\":1}", "a",
                        "unknown field 'score'; allowed fields are id, vector, text, metadata, delete"),
                Arguments.of("{\"id\":\"a\",\"delete\":true,\"vector\":[1,2,3]}", "a",
                        "a delete line may only have id and delete; it also has 'vector'"),
                Arguments.of("{\"id\":\"a\",\"delete\":false}", "a", "delete must be true when present"),
                Arguments.of("{\"id\":\"a\",\"metadata\":{\"k\":1}}", "a", "document has neither vector nor text; one is required"),
                Arguments.of("{\"id\":\"a\",\"text\":\"hello\"}", "a",
                        "document has text but no vector, and collection 'docs' has no embedding model; send vectors"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void malformedLineIsRejectedWithItsReason(String line, String id, String reason) {
        // GIVEN a malformed line WHEN it is validated as line 7
        LineValidator.Result result = vectorsOnly.validate(7, line);
        // THEN it is rejected with the line number, the id when readable, and the exact reason
        assertThat(result).isEqualTo(new LineValidator.Rejected(7, id, reason));
    }

    @Test
    void validDocumentKeepsVectorTextAndFlatMetadata() {
        LineValidator.Result result = vectorsOnly.validate(1,
                "{\"id\":\"a\",\"vector\":[1,2.5,-3],\"text\":\"hi\",\"metadata\":{\"lang\":\"en\",\"year\":2021,"
                        + "\"score\":0.5,\"ok\":true,\"tags\":[\"x\",\"y\"]}}");
        assertThat(result).isInstanceOf(LineValidator.Accepted.class);
        Document d = ((LineValidator.Accepted) result).document();
        assertThat(d.id()).isEqualTo("a");
        assertThat(d.vector()).containsExactly(1f, 2.5f, -3f);
        assertThat(d.text()).isEqualTo("hi");
        assertThat(d.metadata()).isEqualTo(Map.of("lang", "en", "year", 2021L, "score", 0.5, "ok", true,
                "tags", List.of("x", "y")));
    }

    @Test
    void textWithoutVectorIsAcceptedWhenTheCollectionHasAModel() {
        LineValidator.Result result = withModel.validate(2, "{\"id\":\"a\",\"text\":\"hello\"}");
        assertThat(result).isInstanceOf(LineValidator.Accepted.class);
        assertThat(((LineValidator.Accepted) result).document().vector()).isNull();
    }

    @Test
    void deleteBecomesATombstone() {
        LineValidator.Result result = vectorsOnly.validate(3, "{\"id\":\"gone\",\"delete\":true}");
        assertThat(result).isEqualTo(new LineValidator.Accepted(3, Document.tombstone("gone")));
    }
}
