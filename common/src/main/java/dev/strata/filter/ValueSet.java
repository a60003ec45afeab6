package dev.strata.filter;

import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The immutable, normalised value list of {@code $in}/{@code $nin}: a list (for equality and printing) whose
 * {@link #contains} is a hash lookup, so a 1024-value {@code $in} costs one probe per metadata element.
 */
final class ValueSet extends AbstractList<Object> implements RandomAccess {

    private final Object[] values;
    private final Set<Object> lookup;

    private ValueSet(Object[] values) {
        this.values = values;
        this.lookup = new HashSet<>(List.of(values));
    }

    static ValueSet of(List<?> raw) {
        Objects.requireNonNull(raw, "values");
        if (raw instanceof ValueSet already) {
            return already;
        }
        Object[] normalised = new Object[raw.size()];
        for (int i = 0; i < normalised.length; i++) {
            Object n = Values.normalise(raw.get(i));
            if (n == null) {
                throw new IllegalArgumentException("values must be strings, numbers or booleans");
            }
            normalised[i] = n;
        }
        return new ValueSet(normalised);
    }

    @Override
    public Object get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean contains(Object o) {
        Object n = Values.normalise(o);
        return n != null && lookup.contains(n);
    }
}
