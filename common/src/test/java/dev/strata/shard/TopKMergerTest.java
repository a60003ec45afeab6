package dev.strata.shard;

import dev.strata.api.Match;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopKMergerTest {

    private static Match m(String id, float score) {
        return new Match(id, score, null, null);
    }

    @Test
    void mergesBestFirstAndKeepsK() {
        // GIVEN two ranked lists
        List<Match> a = List.of(m("a", 0.9f), m("b", 0.5f));
        List<Match> b = List.of(m("c", 0.8f), m("d", 0.1f));
        // WHEN merged to 3
        List<Match> top = TopKMerger.merge(List.of(a, b), 3);
        // THEN the three best come first to last
        assertThat(top).extracting(Match::id).containsExactly("a", "c", "b");
    }

    @Test
    void duplicateIdKeepsItsBestScore() {
        // GIVEN the same id in two lists with different scores
        List<Match> top = TopKMerger.merge(List.of(List.of(m("x", 0.2f)), List.of(m("x", 0.7f), m("y", 0.5f))), 10);
        // THEN it appears once, with the better score
        assertThat(top).containsExactly(m("x", 0.7f), m("y", 0.5f));
    }

    @Test
    void tiesAreOrderedById() {
        List<Match> top = TopKMerger.merge(List.of(List.of(m("b", 1f)), List.of(m("a", 1f))), 2);
        assertThat(top).extracting(Match::id).containsExactly("a", "b");
    }

    @Test
    void nullListsAndNegativeK() {
        assertThat(TopKMerger.merge(Arrays.asList(null, List.of(m("a", 1f))), 5)).hasSize(1);
        assertThatThrownBy(() -> TopKMerger.merge(List.of(), -1)).hasMessage("k is -1; it must be at least 0");
    }
}
