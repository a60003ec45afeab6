package dev.strata.router.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Keeps the current invocation's Lambda {@link Context} instead of registering it in the application context.
 *
 * <p>Micronaut's default ({@link DefaultLambdaContextFactory}) registers the context, its logger, client context and
 * identity as four singletons on <em>every</em> invocation, and each registration resolves bean candidates across
 * the whole context: in {@code RouterBench} that was over half of the handler thread's CPU, milliseconds per
 * request. No bean of the router injects those types; code that needs the invocation's context asks this bean.
 * Thread-safe (Lambda runs one invocation at a time per environment; the field is volatile for the handoff to the
 * request thread).
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
public final class CurrentLambdaContext implements LambdaContextFactory {

    private volatile Context current;

    @Override
    public void registerSingletons(Context context) {
        this.current = context;
    }

    /** The context of the invocation being handled, if any has started. */
    public Optional<Context> get() {
        return Optional.ofNullable(current);
    }
}
