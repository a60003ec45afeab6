package dev.strata.api;

/** Error body of every Strata HTTP API: {@code {"error":{"code":"...","message":"..."}}}. */
public record ErrorResponse(Detail error) {

    /** The code (stable) and the human message (names field, value and limit). */
    public record Detail(String code, String message) {}

    public static ErrorResponse of(String code, String message) {
        return new ErrorResponse(new Detail(code, message));
    }
}
