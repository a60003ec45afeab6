package dev.strata.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentRulesTest {

    private static final float[] GOOD = {1f, 0f, 0f};

    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
                Arguments.of(new Document(null, GOOD, null, null), "documents[2].id is required"),
                Arguments.of(new Document("x".repeat(513), GOOD, null, null),
                        "documents[2].id has 513 bytes; at most 512 are allowed"),
                Arguments.of(new Document("a", new float[] {1f}, null, null),
                        "documents[2].vector has 1 values; collection 'docs' has dimension 3"),
                Arguments.of(new Document("a", new float[] {1f, Float.NaN, 0f}, null, null),
                        "documents[2].vector[1] is NaN; values must be finite numbers"),
                Arguments.of(new Document("a", GOOD, "t".repeat(65537), null),
                        "documents[2].text has 65537 bytes; at most 65536 are allowed"),
                Arguments.of(new Document("a", GOOD, null, Map.of("k", Map.of("nested", 1))),
                        "documents[2].metadata.k must be a string, number, boolean or an array of them; nested"
                                + " objects are not allowed"),
                Arguments.of(new Document("a", GOOD, null, Map.of("k", List.of(1, List.of(2)))),
                        "documents[2].metadata.k must be a string, number, boolean or an array of them; nested"
                                + " objects are not allowed"),
                Arguments.of(new Document("a", GOOD, null, Map.of("k", "m".repeat(8192))),
                        "documents[2].metadata has 8200 bytes as JSON; at most 8192 are allowed"),
                Arguments.of(new Document("a", null, "  ", null),
                        "documents[2] has neither vector nor text; one is required"),
                Arguments.of(new Document("a", GOOD, null, null, true),
                        "documents[2] is a delete; it may only carry id and delete"));
    }

    @ParameterizedTest
    @MethodSource("brokenDocuments")
    void aDocumentBreakingARuleIsRefusedWithTheFieldValueAndLimit(Document document, String message) {
        // GIVEN a document breaking one rule, WHEN checked as the third of a request, THEN the message says which
        assertThatThrownBy(() -> DocumentRules.check("documents[2]", document, 3, "docs", true))
                .isInstanceOf(StrataException.InvalidRequest.class)
                .hasMessage(message);
    }

    @Test
    void textAloneNeedsAnEmbeddingModel() {
        // GIVEN text without a vector, WHEN the collection cannot embed, THEN no_embedding_model names it
        Document text = new Document("a", null, "hello", null);
        assertThatThrownBy(() -> DocumentRules.check("", text, 3, "docs", false))
                .isInstanceOfSatisfying(StrataException.InvalidRequest.class,
                        e -> assertThat(e.code()).isEqualTo("no_embedding_model"))
                .hasMessage("document has text but no vector, and collection 'docs' has no embedding model;"
                        + " send vectors");
        // AND it is accepted where a model exists
        assertThatCode(() -> DocumentRules.check("", text, 3, "docs", true)).doesNotThrowAnyException();
    }

    @Test
    void validDocumentsAndDeletesPass() {
        assertThatCode(() -> {
            DocumentRules.check("", new Document("a", GOOD, "t", Map.of("lang", "en", "tags", List.of("x", 2))), 3,
                    "docs", false);
            DocumentRules.check("", Document.tombstone("gone"), 3, "docs", false);
        }).doesNotThrowAnyException();
    }
}
