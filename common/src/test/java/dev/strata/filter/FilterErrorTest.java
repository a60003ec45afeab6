package dev.strata.filter;

import dev.strata.api.StrataException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.strata.filter.FilterTest.json;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every syntax error and limit: status 400, code {@code invalid_filter}, a message naming the path. */
class FilterErrorTest {

    private static void rejects(Map<String, Object> filter, String message) {
        assertThatThrownBy(() -> Filter.parse(filter))
                .isInstanceOfSatisfying(StrataException.InvalidRequest.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("invalid_filter");
                    org.assertj.core.api.Assertions.assertThat(e.httpStatus()).isEqualTo(400);
                })
                .hasMessage(message);
    }

    private static void rejects(String filter, String message) {
        rejects(json(filter), message);
    }

    @Test
    void rangeOperandOfWrongTypeNamesFullPath() {
        rejects("{'$and':[{'lang':'en'},{'year':{'$gte':{'x':1}}}]}",
                "filter.$and[1].year.$gte: expected a number or string, got an object");
        rejects("{'year':{'$lt':true}}", "filter.year.$lt: expected a number or string, got a boolean");
        rejects("{'year':{'$gt':null}}", "filter.year.$gt: expected a number or string, got null");
        rejects("{'year':{'$lte':[1]}}", "filter.year.$lte: expected a number or string, got an array");
    }

    @Test
    void equalityOperandMustBeScalar() {
        rejects("{'lang':{'$eq':['en']}}", "filter.lang.$eq: expected a string, number or boolean, got an array");
        rejects("{'lang':{'$ne':null}}", "filter.lang.$ne: expected a string, number or boolean, got null");
        rejects("{'lang':null}", "filter.lang: expected a string, number or boolean, got null");
        rejects("{'tag':['a','b']}", "filter.tag: expected a string, number, boolean or object of operators,"
                + " got an array (use $in to match any of several values)");
        rejects("{'year':{}}", "filter.year: expected a value or an object of operators, got an empty object");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        rejects(Map.of("x", Double.NaN), "filter.x: expected a finite number, got NaN");
        rejects(Map.of("x", Map.of("$gt", Double.POSITIVE_INFINITY)),
                "filter.x.$gt: expected a finite number, got Infinity");
    }

    @Test
    void inAndNinNeedAnArrayOfScalars() {
        rejects("{'tag':{'$in':'a'}}", "filter.tag.$in: expected an array, got a string");
        rejects("{'tag':{'$nin':{'a':1}}}", "filter.tag.$nin: expected an array, got an object");
        rejects("{'tag':{'$in':['a',{'b':1}]}}",
                "filter.tag.$in[1]: expected a string, number or boolean, got an object");
    }

    @Test
    void existsNeedsABoolean() {
        rejects("{'tag':{'$exists':1}}", "filter.tag.$exists: expected true or false, got a number");
        rejects("{'tag':{'$exists':'true'}}", "filter.tag.$exists: expected true or false, got a string");
    }

    @Test
    void unknownOperatorsListTheKnownOnes() {
        rejects("{'year':{'$foo':1}}", "filter.year.$foo: unknown operator '$foo'; one of"
                + " $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists");
        rejects("{'meta':{'nested':1}}", "filter.meta.nested: unknown operator 'nested'; one of"
                + " $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists");
        rejects("{'$foo':[]}", "filter.$foo: unknown operator '$foo'; one of $and, $or, $not or a field name");
        rejects("{'$or':[{'$nor':[{'a':1}]}]}",
                "filter.$or[0].$nor: unknown operator '$nor'; one of $and, $or, $not or a field name");
    }

    @Test
    void logicalOperatorsNeedTheirShape() {
        rejects("{'$and':{'a':1}}", "filter.$and: expected a non-empty array of filters, got an object");
        rejects("{'$or':[]}", "filter.$or: expected a non-empty array of filters, got an empty array");
        rejects("{'$or':[{'a':1},'b']}", "filter.$or[1]: expected an object, got a string");
        rejects("{'$not':[{'a':1}]}", "filter.$not: expected an object, got an array");
        rejects("{'':1}", "filter: a field name must not be empty");
    }

    @Test
    void nestingDeeperThanEightIsRejected() {
        // GIVEN eight nested $not: accepted; nine: rejected at the ninth
        Map<String, Object> eight = Map.of("a", 1);
        for (int i = 0; i < Filter.MAX_DEPTH; i++) {
            eight = Map.of("$not", eight);
        }
        Filter.parse(eight);
        rejects(Map.of("$not", eight), "filter.$not.$not.$not.$not.$not.$not.$not.$not.$not:"
                + " nesting depth 9 exceeds the limit of 8");
        Map<String, Object> ands = Map.of("a", 1);
        for (int i = 0; i <= Filter.MAX_DEPTH; i++) {
            ands = Map.of("$and", List.of(ands));
        }
        rejects(ands, "filter.$and[0].$and[0].$and[0].$and[0].$and[0].$and[0].$and[0].$and[0].$and:"
                + " nesting depth 9 exceeds the limit of 8");
    }

    @Test
    void moreThanSixtyFourClausesIsRejected() {
        // GIVEN 64 field clauses: accepted; 65: rejected
        Map<String, Object> sixtyFour = new HashMap<>();
        List<Object> clauses = new ArrayList<>();
        for (int i = 0; i < Filter.MAX_CLAUSES; i++) {
            clauses.add(Map.of("f" + i, i));
        }
        sixtyFour.put("$or", clauses);
        Filter.parse(sixtyFour);
        List<Object> more = new ArrayList<>(clauses);
        more.add(Map.of("year", Map.of("$gte", 1)));
        rejects(Map.of("$or", more), "filter.$or[64].year.$gte: more than 64 clauses; the limit is 64");
    }

    @Test
    void inWithMoreThan1024ValuesIsRejected() {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i <= Filter.MAX_IN_VALUES; i++) {
            values.add("v" + i);
        }
        rejects(Map.of("tag", Map.of("$in", values)), "filter.tag.$in: 1025 values; the limit is 1024");
        rejects(Map.of("tag", Map.of("$nin", values)), "filter.tag.$nin: 1025 values; the limit is 1024");
    }

    @Test
    void recordsRejectInvalidValuesBuiltInCode() {
        assertThatThrownBy(() -> new Filter.Compare("a", Filter.Compare.Op.GT, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Filter.In("a", List.of(Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
