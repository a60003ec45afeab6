package dev.strata.router;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Calls the router through its Lambda entry point with API Gateway HTTP API (payload 2.0) events. */
final class LambdaApi implements Api {

    private final APIGatewayV2HTTPEventFunction function;

    LambdaApi(APIGatewayV2HTTPEventFunction function) {
        this.function = function;
    }

    @Override
    public Reply call(String method, String path, String key, String body) {
        String rawPath = path;
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            rawPath = path.substring(0, q);
            query = path.substring(q + 1);
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        if (key != null) {
            headers.put("authorization", "Bearer " + key);
        }
        Map<String, String> queryParams = new HashMap<>();
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            queryParams.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(rawPath)
                .withRawQueryString(query)
                .withQueryStringParameters(queryParams.isEmpty() ? null : queryParams)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(rawPath).withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1").build())
                        .withStage("$default")
                        .build())
                .build();
        APIGatewayV2HTTPResponse response = function.handleRequest(event, new MockLambdaContext());
        Map<String, String> out = new HashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, v) -> out.putIfAbsent(k.toLowerCase(Locale.ROOT),
                    String.join(",", v)));
        }
        String text = response.getBody();
        if (text != null && response.getIsBase64Encoded()) {
            text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        }
        return new Reply(response.getStatusCode(), out, text == null ? "" : text);
    }
}
