package dev.strata.segment;

import dev.strata.filter.Filter;

import java.util.Map;

/**
 * Evaluates a {@link Filter} over a segment's {@link FilterColumns} into the set of matching rows. Each field
 * clause is decided once per distinct value of its field by the clause's own {@link Filter#test} (so semantics
 * are exactly the filter package's, arrays and missing fields included), then spread over the rows by an integer
 * scan; {@code $and}/{@code $or}/{@code $not} combine bitsets. Stateless and thread-safe.
 */
public final class FilterMatcher {
    private FilterMatcher() {}

    /** Rows of the segment with these columns that pass {@code filter}. */
    public static RowSet rows(Filter filter, FilterColumns columns, int rowCount) {
        return switch (filter) {
            case Filter.MatchAll m -> RowSet.all(rowCount);
            case Filter.Compare c -> field(c, c.field(), columns);
            case Filter.In in -> field(in, in.field(), columns);
            case Filter.NotIn nin -> field(nin, nin.field(), columns);
            case Filter.Exists e -> field(e, e.field(), columns);
            case Filter.And and -> {
                RowSet out = RowSet.all(rowCount);
                for (Filter clause : and.clauses()) {
                    out = out.and(rows(clause, columns, rowCount));
                    if (out.cardinality() == 0) {
                        break;
                    }
                }
                yield out;
            }
            case Filter.Or or -> {
                RowSet out = RowSet.none(rowCount);
                for (Filter clause : or.clauses()) {
                    out = out.or(rows(clause, columns, rowCount));
                }
                yield out;
            }
            case Filter.Not not -> rows(not.clause(), columns, rowCount).not();
        };
    }

    private static RowSet field(Filter leaf, String field, FilterColumns columns) {
        return columns.matching(field, value -> leaf.test(value == null ? Map.of() : Map.of(field, value)));
    }
}
