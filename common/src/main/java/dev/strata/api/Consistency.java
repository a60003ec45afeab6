package dev.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Read consistency of a search: {@code bounded} (default, lag within a bound) or {@code fresh} (latest commit). */
public enum Consistency {
    BOUNDED, FRESH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Consistency parse(String value) {
        if (value == null) {
            return BOUNDED;
        }
        for (Consistency c : values()) {
            if (c.wireName().equals(value.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new StrataException.InvalidRequest("consistency '" + value + "' is not supported; one of bounded, fresh");
    }
}
