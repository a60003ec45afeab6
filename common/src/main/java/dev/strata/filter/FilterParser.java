package dev.strata.filter;

import dev.strata.api.StrataException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns filter JSON (maps, lists and scalars as Jackson reads them) into a {@link Filter}, checking the syntax
 * and the limits. Every error is {@code invalid_filter} with a message that starts with the path of the bad
 * part, e.g. {@code filter.$or[0].year.$in[3]}. Stateless per call; not shared between threads.
 */
final class FilterParser {

    private static final String FIELD_OPERATORS = "$eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists";
    private static final String LOGICAL_OPERATORS = "$and, $or, $not";

    private int clauses;

    private FilterParser() {}

    static Filter parse(Map<String, Object> json) {
        if (json == null || json.isEmpty()) {
            return new Filter.MatchAll();
        }
        return new FilterParser().object(json, "filter", 0);
    }

    /** An object: each key is a field or a logical operator; several keys are ANDed. */
    private Filter object(Map<?, ?> json, String path, int depth) {
        if (json.isEmpty()) {
            return new Filter.MatchAll();
        }
        List<Filter> parts = new ArrayList<>(json.size());
        for (Map.Entry<?, ?> e : json.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            String at = path + "." + key;
            switch (key) {
                case "$and" -> parts.add(new Filter.And(list(value, at, depth + 1)));
                case "$or" -> parts.add(new Filter.Or(list(value, at, depth + 1)));
                case "$not" -> {
                    checkDepth(at, depth + 1);
                    if (!(value instanceof Map<?, ?> inner)) {
                        throw error(at + ": expected an object, got " + Values.jsonType(value));
                    }
                    parts.add(new Filter.Not(object(inner, at, depth + 1)));
                }
                default -> {
                    if (key.startsWith("$")) {
                        throw error(at + ": unknown operator '" + key + "'; one of " + LOGICAL_OPERATORS
                                + " or a field name");
                    }
                    if (key.isEmpty()) {
                        throw error(path + ": a field name must not be empty");
                    }
                    parts.add(field(key, value, at));
                }
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private List<Filter> list(Object value, String path, int depth) {
        checkDepth(path, depth);
        if (!(value instanceof List<?> items) || items.isEmpty()) {
            throw error(path + ": expected a non-empty array of filters, got " + describe(value));
        }
        List<Filter> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> inner)) {
                throw error(at + ": expected an object, got " + Values.jsonType(items.get(i)));
            }
            out.add(object(inner, at, depth));
        }
        return out;
    }

    /** {@code "f": scalar} (implicit $eq) or {@code "f": {"$op": v, ...}} (operators ANDed). */
    private Filter field(String field, Object value, String path) {
        if (value instanceof Map<?, ?> ops) {
            if (ops.isEmpty()) {
                throw error(path + ": expected a value or an object of operators, got an empty object");
            }
            List<Filter> parts = new ArrayList<>(ops.size());
            for (Map.Entry<?, ?> e : ops.entrySet()) {
                parts.add(operator(field, String.valueOf(e.getKey()), e.getValue(), path));
            }
            return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
        }
        if (value instanceof Collection<?>) {
            throw error(path + ": expected a string, number, boolean or object of operators, got an array"
                    + " (use $in to match any of several values)");
        }
        return compare(field, Filter.Compare.Op.EQ, scalar(value, path), path);
    }

    private Filter operator(String field, String op, Object value, String fieldPath) {
        String at = fieldPath + "." + op;
        return switch (op) {
            case "$eq" -> compare(field, Filter.Compare.Op.EQ, scalar(value, at), at);
            case "$ne" -> compare(field, Filter.Compare.Op.NE, scalar(value, at), at);
            case "$gt" -> compare(field, Filter.Compare.Op.GT, rangeValue(value, at), at);
            case "$gte" -> compare(field, Filter.Compare.Op.GTE, rangeValue(value, at), at);
            case "$lt" -> compare(field, Filter.Compare.Op.LT, rangeValue(value, at), at);
            case "$lte" -> compare(field, Filter.Compare.Op.LTE, rangeValue(value, at), at);
            case "$in" -> {
                countClause(at);
                yield new Filter.In(field, values(value, at));
            }
            case "$nin" -> {
                countClause(at);
                yield new Filter.NotIn(field, values(value, at));
            }
            case "$exists" -> {
                countClause(at);
                if (!(value instanceof Boolean present)) {
                    throw error(at + ": expected true or false, got " + Values.jsonType(value));
                }
                yield new Filter.Exists(field, present);
            }
            default -> throw error(at + ": unknown operator '" + op + "'; one of " + FIELD_OPERATORS);
        };
    }

    private Filter compare(String field, Filter.Compare.Op op, Object value, String path) {
        countClause(path);
        return new Filter.Compare(field, op, value);
    }

    /** A string, finite number or boolean, normalised. */
    private static Object scalar(Object value, String path) {
        Object n = Values.normalise(value);
        if (n == null) {
            throw error(path + ": expected a string, number or boolean, got " + Values.jsonType(value));
        }
        requireFinite(n, path);
        return n;
    }

    private static Object rangeValue(Object value, String path) {
        Object n = Values.normalise(value);
        if (!(n instanceof String) && !(n instanceof Double)) {
            throw error(path + ": expected a number or string, got " + Values.jsonType(value));
        }
        requireFinite(n, path);
        return n;
    }

    private static List<Object> values(Object value, String path) {
        if (!(value instanceof List<?> items)) {
            throw error(path + ": expected an array, got " + Values.jsonType(value));
        }
        if (items.size() > Filter.MAX_IN_VALUES) {
            throw error(path + ": " + items.size() + " values; the limit is " + Filter.MAX_IN_VALUES);
        }
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(scalar(items.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static void requireFinite(Object n, String path) {
        if (n instanceof Double d && !Double.isFinite(d)) {
            throw error(path + ": expected a finite number, got " + d);
        }
    }

    private void countClause(String path) {
        if (++clauses > Filter.MAX_CLAUSES) {
            throw error(path + ": more than " + Filter.MAX_CLAUSES + " clauses; the limit is "
                    + Filter.MAX_CLAUSES);
        }
    }

    private static void checkDepth(String path, int depth) {
        if (depth > Filter.MAX_DEPTH) {
            throw error(path + ": nesting depth " + depth + " exceeds the limit of " + Filter.MAX_DEPTH);
        }
    }

    private static String describe(Object value) {
        return value instanceof List<?> l && l.isEmpty() ? "an empty array" : Values.jsonType(value);
    }

    private static StrataException.InvalidRequest error(String message) {
        return new StrataException.InvalidRequest(Filter.ERROR_CODE, message);
    }
}
