package dev.strata.local.chaos;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects AWS service errors into SDK clients for the chaos tests: {@link #wrap(S3Client)} and
 * {@link #wrap(DynamoDbClient)} return clients that behave as the real ones except that, while armed, every
 * {@code everyNth} call of the chosen operations fails with a 500 {@code InternalError} (as S3 and DynamoDB do
 * under stress) before reaching the server. Disarmed, the wrappers add nothing. Thread-safe.
 */
public final class FaultInjector {
    private volatile Set<String> operations = Set.of();
    private volatile int everyNth;
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicLong injected = new AtomicLong();

    /** Fails every {@code nth} call of the named SDK methods (e.g. {@code putObject}, {@code transactWriteItems}). */
    public void arm(int nth, Set<String> methodNames) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth is " + nth + "; it must be at least 1");
        }
        counter.set(0);
        everyNth = nth;
        operations = Set.copyOf(methodNames);
    }

    public void disarm() {
        operations = Set.of();
    }

    /** Errors injected so far. */
    public long injected() {
        return injected.get();
    }

    public S3Client wrap(S3Client delegate) {
        return proxy(S3Client.class, delegate, op -> (RuntimeException) S3Exception.builder().statusCode(500)
                .awsErrorDetails(details(op)).message("injected fault in " + op).build());
    }

    public DynamoDbClient wrap(DynamoDbClient delegate) {
        return proxy(DynamoDbClient.class, delegate, op -> (RuntimeException) DynamoDbException.builder().statusCode(500)
                .awsErrorDetails(details(op)).message("injected fault in " + op).build());
    }

    boolean shouldFail(String method) {
        if (!operations.contains(method)) {
            return false;
        }
        if (counter.incrementAndGet() % everyNth == 0) {
            injected.incrementAndGet();
            return true;
        }
        return false;
    }

    private <T> T proxy(Class<T> type, T delegate, java.util.function.Function<String, RuntimeException> error) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(p, delegate, method, args);
            }
            if (shouldFail(method.getName())) {
                throw error.apply(method.getName());
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return type.cast(proxy);
    }

    private static Object objectMethod(Object proxy, Object delegate, Method method, Object[] args) throws Exception {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "FaultInjecting(" + delegate + ")";
            default -> method.invoke(delegate, args);
        };
    }

    private static AwsErrorDetails details(String op) {
        return AwsErrorDetails.builder().errorCode("InternalError").errorMessage("injected fault in " + op)
                .serviceName("injected").build();
    }
}
