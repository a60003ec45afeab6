package dev.strata.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.function.Predicate;

/** Normalisation of filter and metadata values: any number to Double, strings and booleans as they are. */
final class Values {

    private Values() {}

    /** The normalised form of a scalar, or null when it is not a string, number or boolean. */
    static Object normalise(Object v) {
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Double d) {
            return d == 0.0 ? 0.0 : d; // -0.0 and 0.0 are the same JSON number
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof Float || v instanceof BigDecimal || v instanceof BigInteger) {
            double d = ((Number) v).doubleValue();
            return d == 0.0 ? 0.0 : d;
        }
        return null;
    }

    /**
     * True when the metadata value (a scalar, or a collection of scalars) has an element whose normalised form
     * passes the test. Null, missing and non-scalar elements never pass.
     */
    static boolean anyMatch(Object metadataValue, Predicate<Object> test) {
        if (metadataValue == null) {
            return false;
        }
        if (metadataValue instanceof Collection<?> many) {
            for (Object e : many) {
                Object n = normalise(e);
                if (n != null && test.test(n)) {
                    return true;
                }
            }
            return false;
        }
        if (metadataValue instanceof Object[] many) {
            for (Object e : many) {
                Object n = normalise(e);
                if (n != null && test.test(n)) {
                    return true;
                }
            }
            return false;
        }
        Object n = normalise(metadataValue);
        return n != null && test.test(n);
    }

    /** JSON type name of a value as a caller wrote it, for error messages. */
    static String jsonType(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof java.util.Map<?, ?>) {
            return "an object";
        }
        if (v instanceof Collection<?> || v instanceof Object[]) {
            return "an array";
        }
        return "a " + v.getClass().getSimpleName();
    }
}
