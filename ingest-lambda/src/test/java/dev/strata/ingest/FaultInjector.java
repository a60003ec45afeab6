package dev.strata.ingest;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injected fault: an SDK interceptor that fails the N-th call of one operation (e.g. the 2nd {@code PutObject}),
 * as a dropped connection would. Armed per test; thread-safe.
 */
final class FaultInjector implements ExecutionInterceptor {

    private volatile String operation;
    private volatile int failOn;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    /** Fails the {@code nth} call of {@code operation} from now on (1-based). */
    void arm(String operation, int nth) {
        calls.set(0);
        this.failOn = nth;
        this.operation = operation;
    }

    void disarm() {
        operation = null;
    }

    int injected() {
        return injected.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = operation;
        if (op != null && op.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                && calls.incrementAndGet() == failOn) {
            injected.incrementAndGet();
            throw SdkClientException.create("injected fault: " + op + " call " + failOn + " failed");
        }
    }
}
