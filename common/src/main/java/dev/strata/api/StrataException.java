package dev.strata.api;

/**
 * Root of Strata's closed set of errors. Each subclass has a stable {@link #code()} (part of the public API)
 * and the HTTP status it maps to; the one exception handler of each service turns it into
 * {@code {"error":{"code","message"}}}. Messages name the field, the value and the limit.
 */
public abstract sealed class StrataException extends RuntimeException
        permits StrataException.InvalidRequest, StrataException.Unauthorized, StrataException.Forbidden,
        StrataException.NotFound, StrataException.Conflict, StrataException.PayloadTooLarge,
        StrataException.RateLimited, StrataException.Unavailable, StrataException.Internal {

    private final String code;

    protected StrataException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable code, e.g. {@code invalid_request}. */
    public String code() {
        return code;
    }

    /** HTTP status this error maps to. */
    public abstract int httpStatus();

    /** The body every service returns for this error. */
    public ErrorResponse toResponse() {
        return ErrorResponse.of(code, getMessage());
    }

    /** 400: the request or a document breaks a rule; the message names field, value and limit. */
    public static final class InvalidRequest extends StrataException {
        public InvalidRequest(String message) { this("invalid_request", message); }
        public InvalidRequest(String code, String message) { super(code, message, null); }
        @Override public int httpStatus() { return 400; }
    }

    /** 401: no API key, or one that is not known. */
    public static final class Unauthorized extends StrataException {
        public Unauthorized(String message) { super("unauthorized", message, null); }
        @Override public int httpStatus() { return 401; }
    }

    /** 403: the key's role does not allow the call. */
    public static final class Forbidden extends StrataException {
        public Forbidden(String message) { super("forbidden", message, null); }
        @Override public int httpStatus() { return 403; }
    }

    /** 404: collection, batch, shard or key not found (another tenant's collection is also "not found"). */
    public static final class NotFound extends StrataException {
        public NotFound(String message) { this("not_found", message); }
        public NotFound(String code, String message) { super(code, message, null); }
        @Override public int httpStatus() { return 404; }
    }

    /** 409: a version condition failed, a collection already exists, or a replica is behind {@code minVersion}. */
    public static final class Conflict extends StrataException {
        public Conflict(String message) { this("conflict", message); }
        public Conflict(String code, String message) { super(code, message, null); }
        @Override public int httpStatus() { return 409; }
    }

    /** 413: batch or document larger than the limits. */
    public static final class PayloadTooLarge extends StrataException {
        public PayloadTooLarge(String message) { super("payload_too_large", message, null); }
        @Override public int httpStatus() { return 413; }
    }

    /** 429: the key's rate limit is spent; {@link #retryAfterSeconds()} says when to come back. */
    public static final class RateLimited extends StrataException {
        private final long retryAfterSeconds;
        public RateLimited(String message, long retryAfterSeconds) {
            super("rate_limited", message, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }
        public long retryAfterSeconds() { return retryAfterSeconds; }
        @Override public int httpStatus() { return 429; }
    }

    /** 503: no replica can answer as asked (e.g. {@code fresh} and nothing caught up), or a dependency is down. */
    public static final class Unavailable extends StrataException {
        public Unavailable(String message) { this("unavailable", message, null); }
        public Unavailable(String code, String message) { this(code, message, null); }
        public Unavailable(String code, String message, Throwable cause) { super(code, message, cause); }
        @Override public int httpStatus() { return 503; }
    }

    /** 500: a defect or a corrupt stored object; never the caller's fault. */
    public static final class Internal extends StrataException {
        public Internal(String code, String message, Throwable cause) { super(code, message, cause); }
        @Override public int httpStatus() { return 500; }
    }
}
