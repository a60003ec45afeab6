package dev.strata.filter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Semantics of parsed filters, written as JSON the way callers send them. */
class FilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text.replace('\'', '"'), new TypeReference<>() {});
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static boolean matches(String filter, String metadata) {
        return Filter.parse(json(filter)).test(json(metadata));
    }

    @Test
    void nullAndEmptyFilterMatchEverything() {
        // GIVEN no filter and an empty one
        // WHEN parsed
        // THEN both are MatchAll and match any metadata, even none
        assertThat(Filter.parse(null)).isEqualTo(new Filter.MatchAll());
        assertThat(Filter.parse(Map.of())).isEqualTo(new Filter.MatchAll());
        assertThat(Filter.parse(null).test(null)).isTrue();
        assertThat(Filter.parse(null).matchesAll()).isTrue();
    }

    @Test
    void implicitEqualityMatchesScalar() {
        // GIVEN {"lang":"en"}
        // WHEN evaluated THEN only metadata with lang "en" matches
        assertThat(matches("{'lang':'en'}", "{'lang':'en'}")).isTrue();
        assertThat(matches("{'lang':'en'}", "{'lang':'de'}")).isFalse();
        assertThat(matches("{'lang':'en'}", "{}")).isFalse();
        assertThat(Filter.parse(json("{'lang':'en'}")))
                .isEqualTo(new Filter.Compare("lang", Filter.Compare.Op.EQ, "en"));
    }

    @Test
    void numbersCompareByValueWhateverTheirJavaType() {
        // GIVEN an integer in the filter and a double in the metadata (and the reverse)
        // THEN they are equal as JSON numbers
        assertThat(matches("{'year':2020}", "{'year':2020.0}")).isTrue();
        assertThat(matches("{'year':2020.0}", "{'year':2020}")).isTrue();
        assertThat(matches("{'n':0}", "{'n':-0.0}")).isTrue();
        assertThat(Filter.parse(Map.of("year", 2020L)).test(Map.of("year", (short) 2020))).isTrue();
        assertThat(((Filter.Compare) Filter.parse(json("{'year':2020}"))).value()).isEqualTo(2020.0);
    }

    @Test
    void equalityNeverCrossesTypes() {
        assertThat(matches("{'year':'2020'}", "{'year':2020}")).isFalse();
        assertThat(matches("{'flag':true}", "{'flag':'true'}")).isFalse();
        assertThat(matches("{'flag':true}", "{'flag':true}")).isTrue();
        assertThat(matches("{'flag':{'$eq':false}}", "{'flag':false}")).isTrue();
    }

    @Test
    void notEqualMatchesOtherValuesAndMissingField() {
        assertThat(matches("{'lang':{'$ne':'en'}}", "{'lang':'de'}")).isTrue();
        assertThat(matches("{'lang':{'$ne':'en'}}", "{'lang':'en'}")).isFalse();
        assertThat(matches("{'lang':{'$ne':'en'}}", "{}")).isTrue();
        assertThat(matches("{'lang':{'$ne':'en'}}", "{'lang':null}")).isTrue();
    }

    @Test
    void rangeOperatorsOnNumbers() {
        String year = "{'year':%s}";
        assertThat(matches("{'year':{'$gt':2020}}", year.formatted(2021))).isTrue();
        assertThat(matches("{'year':{'$gt':2020}}", year.formatted(2020))).isFalse();
        assertThat(matches("{'year':{'$gte':2020}}", year.formatted(2020))).isTrue();
        assertThat(matches("{'year':{'$gte':2020}}", year.formatted(2019.5))).isFalse();
        assertThat(matches("{'year':{'$lt':2020}}", year.formatted(2019))).isTrue();
        assertThat(matches("{'year':{'$lt':2020}}", year.formatted(2020))).isFalse();
        assertThat(matches("{'year':{'$lte':2020}}", year.formatted(2020))).isTrue();
        assertThat(matches("{'year':{'$lte':2020}}", year.formatted(2021))).isFalse();
    }

    @Test
    void severalOperatorsOnOneFieldAreAnded() {
        // GIVEN a half-open range
        Filter f = Filter.parse(json("{'year':{'$gte':2020,'$lt':2024}}"));
        // THEN it is an AND of two comparisons, and only years in [2020, 2024) match
        assertThat(f).isEqualTo(new Filter.And(List.of(
                new Filter.Compare("year", Filter.Compare.Op.GTE, 2020.0),
                new Filter.Compare("year", Filter.Compare.Op.LT, 2024.0))));
        assertThat(f.test(json("{'year':2019}"))).isFalse();
        assertThat(f.test(json("{'year':2020}"))).isTrue();
        assertThat(f.test(json("{'year':2023}"))).isTrue();
        assertThat(f.test(json("{'year':2024}"))).isFalse();
    }

    @Test
    void rangeOperatorsOnStringsAreLexicographic() {
        assertThat(matches("{'day':{'$gte':'2024-01-01'}}", "{'day':'2024-03-05'}")).isTrue();
        assertThat(matches("{'day':{'$gte':'2024-01-01'}}", "{'day':'2023-12-31'}")).isFalse();
        assertThat(matches("{'name':{'$lt':'b'}}", "{'name':'abc'}")).isTrue();
        assertThat(matches("{'name':{'$lt':'B'}}", "{'name':'a'}")).isFalse();
    }

    @Test
    void rangeTypeMismatchDoesNotMatch() {
        // GIVEN a numeric bound and a string value, and the reverse, and a boolean value
        // THEN nothing matches, in either direction
        assertThat(matches("{'year':{'$gt':2020}}", "{'year':'2021'}")).isFalse();
        assertThat(matches("{'year':{'$lt':2020}}", "{'year':'2019'}")).isFalse();
        assertThat(matches("{'year':{'$gt':'2020'}}", "{'year':2021}")).isFalse();
        assertThat(matches("{'year':{'$gte':0}}", "{'year':true}")).isFalse();
        assertThat(matches("{'year':{'$gte':0}}", "{}")).isFalse();
    }

    @Test
    void arrayValuedMetadataMatchesWhenAnyElementMatches() {
        String tags = "{'tag':['a','b'],'scores':[1,5,9]}";
        assertThat(matches("{'tag':'b'}", tags)).isTrue();
        assertThat(matches("{'tag':'c'}", tags)).isFalse();
        assertThat(matches("{'scores':{'$gt':8}}", tags)).isTrue();
        assertThat(matches("{'scores':{'$gt':9}}", tags)).isFalse();
        assertThat(matches("{'tag':{'$in':['x','a']}}", tags)).isTrue();
        // AND across operators on one field is per clause, each satisfied by some element (as in MongoDB)
        assertThat(matches("{'scores':{'$gt':6,'$lt':2}}", tags)).isTrue();
    }

    @Test
    void negationsOnArraysMatchOnlyWhenNoElementMatches() {
        String tags = "{'tag':['a','b']}";
        assertThat(matches("{'tag':{'$ne':'a'}}", tags)).isFalse();
        assertThat(matches("{'tag':{'$ne':'c'}}", tags)).isTrue();
        assertThat(matches("{'tag':{'$nin':['b','z']}}", tags)).isFalse();
        assertThat(matches("{'tag':{'$nin':['y','z']}}", tags)).isTrue();
        assertThat(matches("{'tag':{'$nin':['y']}}", "{'tag':[]}")).isTrue();
    }

    @Test
    void inMatchesAnyValueAndNinMatchesMissingField() {
        assertThat(matches("{'lang':{'$in':['en','de']}}", "{'lang':'de'}")).isTrue();
        assertThat(matches("{'lang':{'$in':['en','de']}}", "{'lang':'fr'}")).isFalse();
        assertThat(matches("{'lang':{'$in':['en','de']}}", "{}")).isFalse();
        assertThat(matches("{'lang':{'$in':[]}}", "{'lang':'en'}")).isFalse();
        assertThat(matches("{'year':{'$in':[2020,2021]}}", "{'year':2021.0}")).isTrue();
        assertThat(matches("{'lang':{'$nin':['en']}}", "{}")).isTrue();
        assertThat(matches("{'lang':{'$nin':['en']}}", "{'lang':'en'}")).isFalse();
        assertThat(matches("{'lang':{'$nin':[]}}", "{'lang':'en'}")).isTrue();
    }

    @Test
    void inWithManyValuesUsesNormalisedLookup() {
        // GIVEN 1024 numeric values, the limit
        List<Object> many = new java.util.ArrayList<>();
        for (int i = 0; i < Filter.MAX_IN_VALUES; i++) {
            many.add(i);
        }
        Filter f = Filter.parse(Map.of("n", Map.of("$in", many)));
        // THEN any of them matches, whatever its Java number type, and others do not
        assertThat(f.test(Map.of("n", 1023L))).isTrue();
        assertThat(f.test(Map.of("n", 17.0f))).isTrue();
        assertThat(f.test(Map.of("n", 1024))).isFalse();
        assertThat(((Filter.In) f).values()).hasSize(1024).startsWith(0.0, 1.0);
    }

    @Test
    void existsTestsPresenceAndNullCountsAsMissing() {
        assertThat(matches("{'tag':{'$exists':true}}", "{'tag':'a'}")).isTrue();
        assertThat(matches("{'tag':{'$exists':true}}", "{'tag':[]}")).isTrue();
        assertThat(matches("{'tag':{'$exists':true}}", "{'tag':null}")).isFalse();
        assertThat(matches("{'tag':{'$exists':true}}", "{}")).isFalse();
        assertThat(matches("{'tag':{'$exists':false}}", "{}")).isTrue();
        assertThat(matches("{'tag':{'$exists':false}}", "{'tag':1}")).isFalse();
        assertThat(Filter.parse(json("{'tag':{'$exists':true}}")).test(null)).isFalse();
    }

    @Test
    void severalTopLevelKeysAreAnded() {
        String f = "{'lang':'en','year':{'$gte':2020}}";
        assertThat(matches(f, "{'lang':'en','year':2021}")).isTrue();
        assertThat(matches(f, "{'lang':'en','year':2019}")).isFalse();
        assertThat(matches(f, "{'lang':'de','year':2021}")).isFalse();
    }

    @Test
    void logicalOperatorsCombineClauses() {
        String and = "{'$and':[{'lang':'en'},{'year':{'$gte':2020}}]}";
        assertThat(matches(and, "{'lang':'en','year':2020}")).isTrue();
        assertThat(matches(and, "{'lang':'en','year':2000}")).isFalse();
        String or = "{'$or':[{'lang':'en'},{'year':{'$gte':2020}}]}";
        assertThat(matches(or, "{'lang':'de','year':2021}")).isTrue();
        assertThat(matches(or, "{'lang':'en'}")).isTrue();
        assertThat(matches(or, "{'lang':'de','year':2000}")).isFalse();
        String not = "{'$not':{'lang':'en'}}";
        assertThat(matches(not, "{'lang':'de'}")).isTrue();
        assertThat(matches(not, "{'lang':'en'}")).isFalse();
        assertThat(matches(not, "{}")).isTrue();
    }

    @Test
    void nestedLogicalOperators() {
        String f = "{'$or':[{'$and':[{'a':1},{'$not':{'b':{'$in':[1,2]}}}]},{'c':{'$exists':true}}]}";
        assertThat(matches(f, "{'a':1,'b':3}")).isTrue();
        assertThat(matches(f, "{'a':1,'b':2}")).isFalse();
        assertThat(matches(f, "{'a':1,'b':2,'c':'x'}")).isTrue();
        assertThat(matches(f, "{'a':2}")).isFalse();
    }

    @Test
    void fieldsListsEveryReferencedFieldOnce() {
        Filter f = Filter.parse(json(
                "{'lang':'en','$or':[{'year':{'$gt':1}},{'$not':{'tag':{'$nin':['x']}}},{'lang':{'$exists':true}}]}"));
        assertThat(f.fields()).containsExactly("lang", "year", "tag");
        assertThat(new Filter.MatchAll().fields()).isEmpty();
    }

    @Test
    void nonScalarMetadataElementsNeverMatch() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("obj", Map.of("x", 1));
        metadata.put("arr", List.of(List.of("a"), "b"));
        assertThat(Filter.parse(json("{'obj':{'$exists':true}}")).test(metadata)).isTrue();
        assertThat(Filter.parse(json("{'obj':{'$ne':'x'}}")).test(metadata)).isTrue();
        assertThat(Filter.parse(json("{'arr':'a'}")).test(metadata)).isFalse();
        assertThat(Filter.parse(json("{'arr':'b'}")).test(metadata)).isTrue();
    }

    @Test
    void normalisedValuesFlattenArraysForIndexing() {
        assertThat(Filter.normalisedValues(List.of(1, "a", true, Map.of()))).containsExactly(1.0, "a", true);
        assertThat(Filter.normalisedValues(7L)).containsExactly(7.0);
        assertThat(Filter.normalisedValues(null)).isEmpty();
    }

    @Test
    void matchesReadsFieldsThroughALookup() {
        // GIVEN metadata held as columns (field -> value of row 1), not as a map
        Map<String, List<Object>> columns = Map.of("lang", List.of("en", "de"), "year", List.of(2019, 2022));
        int row = 1;
        Filter f = Filter.parse(json("{'lang':'de','year':{'$gt':2020},'tag':{'$exists':false}}"));
        // WHEN evaluated through a lookup
        boolean matched = f.matches(field -> columns.containsKey(field) ? columns.get(field).get(row) : null);
        // THEN it agrees with the map form of the same row
        assertThat(matched).isTrue();
        assertThat(f.test(Map.of("lang", "de", "year", 2022))).isTrue();
        assertThat(f.matches(field -> columns.containsKey(field) ? columns.get(field).get(0) : null)).isFalse();
    }
}
