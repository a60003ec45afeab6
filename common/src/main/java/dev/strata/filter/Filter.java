package dev.strata.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed metadata filter: the {@code "filter"} of a search request, evaluated against a document's metadata.
 *
 * <p>Syntax (DESIGN §7): {@code {"lang":"en"}} (implicit {@code $eq}), {@code {"year":{"$gte":2020,"$lt":2024}}}
 * (several operators on one field are ANDed), {@code {"tag":{"$in":["a","b"]}}}, the field operators
 * {@code $eq $ne $gt $gte $lt $lte $in $nin $exists}, and the logical operators {@code {"$and":[...]}},
 * {@code {"$or":[...]}}, {@code {"$not":{...}}}. Several keys in one object are ANDed. {@link #parse} turns the
 * JSON map (as Jackson reads it) into this tree, or throws {@link dev.strata.api.StrataException.InvalidRequest}
 * with code {@code invalid_filter} and a message naming the path, e.g.
 * {@code filter.$and[1].year.$gte: expected a number or string, got an object}.
 *
 * <p>Semantics of {@link #test}:
 * <ul>
 *   <li>Values are normalised: any JSON number becomes a {@link Double}, strings stay {@link String}, booleans
 *       {@link Boolean}. Equality is by normalised value, so {@code 2020} equals {@code 2020.0}.</li>
 *   <li>An array-valued metadata field matches {@code $eq}, a range operator or {@code $in} when <em>any</em>
 *       element matches; {@code $ne} and {@code $nin} match when <em>no</em> element matches, so they also match
 *       a missing field.</li>
 *   <li>Range operators compare numbers with numbers and strings with strings (lexicographically, by UTF-16
 *       code unit as {@link String#compareTo}); a value of another type simply does not match.</li>
 *   <li>A field counts as missing when its key is absent or its value is JSON {@code null}; {@code $exists}
 *       tests exactly that (an empty array exists).</li>
 * </ul>
 *
 * <p>Limits: at most {@value #MAX_DEPTH} levels of nested {@code $and}/{@code $or}/{@code $not}, at most
 * {@value #MAX_CLAUSES} field clauses in total, at most {@value #MAX_IN_VALUES} values in one
 * {@code $in}/{@code $nin}.
 *
 * <p>Every implementation is an immutable record and thread-safe; one parsed filter may be evaluated by many
 * searches at once.
 */
public sealed interface Filter
        permits Filter.MatchAll, Filter.Compare, Filter.In, Filter.NotIn, Filter.Exists,
                Filter.And, Filter.Or, Filter.Not {

    /** Error code of every filter error. */
    String ERROR_CODE = "invalid_filter";
    /** Deepest nesting of {@code $and}/{@code $or}/{@code $not}. */
    int MAX_DEPTH = 8;
    /** Most field clauses (comparisons, {@code $in}, {@code $nin}, {@code $exists}) in one filter. */
    int MAX_CLAUSES = 64;
    /** Most values in one {@code $in} or {@code $nin}. */
    int MAX_IN_VALUES = 1024;

    /** Parses a filter as Jackson reads it; {@code null} or {@code {}} is {@link MatchAll}. */
    static Filter parse(Map<String, Object> json) {
        return FilterParser.parse(json);
    }

    /** True when the document with this metadata (possibly null or empty) passes the filter. */
    default boolean test(Map<String, Object> metadata) {
        return metadata == null ? matches(field -> null) : matches(metadata::get);
    }

    /**
     * True when a document passes, reading its fields through {@code field} (which returns a field's value, a
     * list for an array, or null when absent). For stores that keep metadata in columns rather than maps.
     */
    boolean matches(Function<String, ?> field);

    /** The metadata fields this filter reads, in order of first mention. */
    default Set<String> fields() {
        Set<String> out = new LinkedHashSet<>();
        collectFields(this, out);
        return out;
    }

    /** True for {@link MatchAll}: callers can skip filtering entirely. */
    default boolean matchesAll() {
        return this instanceof MatchAll;
    }

    private static void collectFields(Filter f, Set<String> out) {
        switch (f) {
            case MatchAll m -> { }
            case Compare c -> out.add(c.field());
            case In in -> out.add(in.field());
            case NotIn nin -> out.add(nin.field());
            case Exists e -> out.add(e.field());
            case And and -> and.clauses().forEach(c -> collectFields(c, out));
            case Or or -> or.clauses().forEach(c -> collectFields(c, out));
            case Not not -> collectFields(not.clause(), out);
        }
    }

    /** Matches every document: the empty filter. */
    record MatchAll() implements Filter {
        @Override
        public boolean matches(Function<String, ?> field) {
            return true;
        }
    }

    /** A comparison of one field with one value. */
    record Compare(String field, Op op, Object value) implements Filter {
        /** Comparison operators; the range ones ({@code GT..LTE}) take a number or a string. */
        public enum Op {
            EQ("$eq"), NE("$ne"), GT("$gt"), GTE("$gte"), LT("$lt"), LTE("$lte");

            private final String wireName;

            Op(String wireName) {
                this.wireName = wireName;
            }

            /** The operator as written in JSON, e.g. {@code $gte}. */
            public String wireName() {
                return wireName;
            }
        }

        /** @param value a String, Double or Boolean; other numbers are converted to Double */
        public Compare {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(op, "op");
            value = Values.normalise(value);
            if (value == null) {
                throw new IllegalArgumentException("value must be a string, number or boolean");
            }
            if (op != Op.EQ && op != Op.NE && value instanceof Boolean) {
                throw new IllegalArgumentException(op.wireName() + " takes a number or a string");
            }
        }

        @Override
        public boolean matches(Function<String, ?> lookup) {
            Object actual = lookup.apply(field);
            if (op == Op.NE) {
                return !Values.anyMatch(actual, v -> v.equals(value));
            }
            return Values.anyMatch(actual, this::matchesOne);
        }

        private boolean matchesOne(Object v) {
            if (op == Op.EQ) {
                return v.equals(value);
            }
            int cmp;
            if (v instanceof Double a && value instanceof Double b) {
                cmp = Double.compare(a, b);
            } else if (v instanceof String a && value instanceof String b) {
                cmp = a.compareTo(b);
            } else {
                return false;
            }
            return switch (op) {
                case GT -> cmp > 0;
                case GTE -> cmp >= 0;
                case LT -> cmp < 0;
                case LTE -> cmp <= 0;
                case EQ, NE -> throw new AssertionError(op);
            };
        }
    }

    /** The field (or any element of it) equals one of the values. */
    record In(String field, List<Object> values) implements Filter {
        public In {
            Objects.requireNonNull(field, "field");
            values = ValueSet.of(values);
        }

        @Override
        public boolean matches(Function<String, ?> lookup) {
            Object actual = lookup.apply(field);
            return Values.anyMatch(actual, values::contains);
        }
    }

    /** No element of the field equals any of the values (a missing field matches). */
    record NotIn(String field, List<Object> values) implements Filter {
        public NotIn {
            Objects.requireNonNull(field, "field");
            values = ValueSet.of(values);
        }

        @Override
        public boolean matches(Function<String, ?> lookup) {
            Object actual = lookup.apply(field);
            return !Values.anyMatch(actual, values::contains);
        }
    }

    /** The field is present and not null ({@code present = true}), or absent or null ({@code false}). */
    record Exists(String field, boolean present) implements Filter {
        public Exists {
            Objects.requireNonNull(field, "field");
        }

        @Override
        public boolean matches(Function<String, ?> lookup) {
            boolean has = lookup.apply(field) != null;
            return has == present;
        }
    }

    /** Every clause matches (an empty list matches everything). */
    record And(List<Filter> clauses) implements Filter {
        public And {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(Function<String, ?> field) {
            for (Filter c : clauses) {
                if (!c.matches(field)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** At least one clause matches (an empty list matches nothing). */
    record Or(List<Filter> clauses) implements Filter {
        public Or {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(Function<String, ?> field) {
            for (Filter c : clauses) {
                if (c.matches(field)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The clause does not match. */
    record Not(Filter clause) implements Filter {
        public Not {
            Objects.requireNonNull(clause, "clause");
        }

        @Override
        public boolean matches(Function<String, ?> field) {
            return !clause.matches(field);
        }
    }

    /** Normalises a metadata value or the elements of an array-valued one, for callers that index metadata. */
    static List<Object> normalisedValues(Object metadataValue) {
        List<Object> out = new ArrayList<>();
        Values.anyMatch(metadataValue, v -> {
            out.add(v);
            return false;
        });
        return out;
    }

    /** Converts one scalar to its normalised form (String, Double or Boolean), or null for anything else. */
    static Object normalise(Object scalar) {
        return Values.normalise(scalar);
    }
}
