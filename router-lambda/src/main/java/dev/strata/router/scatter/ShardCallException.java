package dev.strata.router.scatter;

/**
 * Why a shard call gave no answer. {@link Reason#BEHIND} and {@link Reason#NOT_PLACED} are answers of a healthy
 * node (another replica may serve); {@link Reason#FAILED} and {@link Reason#TIMEOUT} count against the node's
 * circuit breaker.
 */
public final class ShardCallException extends RuntimeException {

    /** What went wrong. */
    public enum Reason {
        /** 409 {@code version_not_applied}: the replica has not applied the version asked for. */
        BEHIND,
        /** 404 {@code shard_not_placed}: the node does not serve this shard (placement moved). */
        NOT_PLACED,
        /** Transport error or 5xx. */
        FAILED,
        /** No answer within the per-call timeout. */
        TIMEOUT,
        /** The node's circuit breaker is open. */
        BREAKER_OPEN
    }

    private final Reason reason;

    public ShardCallException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ShardCallException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** True when the node itself misbehaved (counts against its breaker). */
    public boolean nodeFault() {
        return reason == Reason.FAILED || reason == Reason.TIMEOUT;
    }
}
