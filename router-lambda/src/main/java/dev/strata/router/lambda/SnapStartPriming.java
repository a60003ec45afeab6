package dev.strata.router.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.strata.api.CollectionSpec;
import dev.strata.api.SearchRequest;
import dev.strata.api.SearchResponse;
import dev.strata.router.auth.ApiKeys;
import dev.strata.router.document.DocumentsRequest;
import dev.strata.router.http.RequestReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.crac.OrderedResource;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventHandler;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming: before Lambda takes the snapshot, runs the hot paths once so their classes are loaded and
 * initialised in the snapshot: JSON reading and writing of the wire records, key hashing, and requests through the
 * API Gateway handler (routing, the error handler, response writing). No catalog or shard is called: the requests
 * carry no key and stop at authentication. Also callable directly ({@link #prime()}) to warm a fresh instance.
 */
@Singleton
@Requires(env = "lambda")
public final class SnapStartPriming implements OrderedResource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private final ApplicationContext context;
    private final RequestReader reader;

    public SnapStartPriming(ApplicationContext context, RequestReader reader) {
        this.context = context;
        this.reader = reader;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> crac) {
        long took = prime();
        LOG.info("SnapStart priming took {} ms", took / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> crac) {
        // Nothing to reopen: clients reconnect lazily and caches are keyed by version.
    }

    /** Warms the hot paths; returns the nanoseconds it took. */
    public long prime() {
        long started = System.nanoTime();
        byte[] search = "{\"vector\":[0.1,0.2],\"k\":10,\"filter\":{\"lang\":\"en\"},\"include\":[\"metadata\"]}"
                .getBytes(StandardCharsets.UTF_8);
        reader.read(search, SearchRequest.class, "search request");
        reader.read("{\"dimension\":2}".getBytes(StandardCharsets.UTF_8), CollectionSpec.class, "collection spec");
        reader.read("{\"documents\":[{\"id\":\"a\",\"vector\":[1,2],\"metadata\":{\"k\":\"v\"}}]}"
                .getBytes(StandardCharsets.UTF_8), DocumentsRequest.class, "documents request");
        reader.write(new SearchResponse(List.of(), 1, 0, false, List.of(), 1.0, List.of()));
        ApiKeys.hash("priming");
        if (context.containsBean(APIGatewayV2HTTPEventHandler.class)) {
            APIGatewayV2HTTPEventHandler handler = context.getBean(APIGatewayV2HTTPEventHandler.class);
            exchange(handler, "POST", "/v1/collections/priming/search", new String(search, StandardCharsets.UTF_8));
            exchange(handler, "GET", "/v1/collections", null);
        }
        return System.nanoTime() - started;
    }

    private static void exchange(APIGatewayV2HTTPEventHandler handler, String method, String path, String body) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse response = handler.exchange(event, new APIGatewayV2HTTPResponse()).getResponse()
                .getNativeResponse();
        if (response.getStatusCode() != 401) {
            LOG.warn("priming {} {} answered {} (expected 401)", method, path, response.getStatusCode());
        }
    }
}
