package dev.strata.router;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.strata.api.CollectionSpec;
import dev.strata.catalog.CatalogSchema;
import dev.strata.catalog.DynamoCatalog;
import dev.strata.emulator.EmbeddedDynamoDb;
import dev.strata.emulator.EmbeddedS3;
import dev.strata.router.lambda.SnapStartPriming;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

import java.util.Map;

/**
 * Program (not a test): measures the router Lambda's cold start in this JVM: construction of the real handler
 * ({@code new APIGatewayV2HTTPEventFunction()}, which builds the application context in the {@code lambda}
 * environment with the AWS factory's DynamoDB and S3 clients, pointed at in-process emulators), then the first
 * and second requests (describe a collection, search it). With {@code --prime} it runs the SnapStart priming hook
 * between construction and the first request, as Lambda does before taking the snapshot. Run each variant in a
 * fresh JVM; prints one table row (and {@code --json}).
 */
public final class LambdaInitTime {

    private LambdaInitTime() {}

    public static void main(String[] args) {
        boolean prime = java.util.Arrays.asList(args).contains("--prime");
        boolean json = java.util.Arrays.asList(args).contains("--json");
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(); EmbeddedS3 s3 = EmbeddedS3.start()) {
            dynamo.client().createTable(CatalogSchema.createTableRequest("init-catalog"));
            s3.createBucket("init-bucket");
            DynamoCatalog.of(dynamo.client(), "init-catalog").createCollection("acme", "docs",
                    new CollectionSpec(4, null, 4, 1, null, null, null, 0).withDefaults().validate(), "local");
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.accessKeyId", EmbeddedS3.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", EmbeddedS3.SECRET_KEY);
            System.setProperty("strata.aws.table", "init-catalog");
            System.setProperty("strata.aws.bucket", "init-bucket");
            System.setProperty("strata.aws.dynamodb-endpoint", dynamo.endpoint().toString());
            System.setProperty("strata.aws.s3-endpoint", s3.endpoint().toString());
            System.setProperty("strata.bootstrap.api-key", "sk_init_admin");
            System.setProperty("strata.bootstrap.tenant", "acme");

            long t0 = System.nanoTime();
            APIGatewayV2HTTPEventFunction function = new APIGatewayV2HTTPEventFunction();
            long t1 = System.nanoTime();
            long primeNanos = 0;
            if (prime) {
                primeNanos = function.getApplicationContext().getBean(SnapStartPriming.class).prime();
            }
            long t2 = System.nanoTime();
            int first = call(function, "GET", "/v1/collections/docs", null);
            long t3 = System.nanoTime();
            int second = call(function, "POST", "/v1/collections/docs/search", "{\"vector\":[1,0,0,0],\"k\":5}");
            long t4 = System.nanoTime();
            int third = call(function, "POST", "/v1/collections/docs/search", "{\"vector\":[0,1,0,0],\"k\":5}");
            long t5 = System.nanoTime();
            if (first != 200 || second != 200 || third != 200) {
                throw new IllegalStateException("unexpected statuses " + first + ", " + second + ", " + third);
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("primed", prime);
            row.put("handlerInitMs", ms(t1 - t0));
            row.put("primingMs", ms(primeNanos));
            row.put("firstRequestMs", ms(t3 - t2));
            row.put("firstSearchMs", ms(t4 - t3));
            row.put("secondSearchMs", ms(t5 - t4));
            row.put("cores", Runtime.getRuntime().availableProcessors());
            row.put("java", Runtime.version().toString());
            if (json) {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(row));
            } else {
                System.out.printf("| primed | handler init | priming | 1st request (describe) | 1st search | 2nd search |%n");
                System.out.printf("| %s | %.0f ms | %.0f ms | %.1f ms | %.1f ms | %.1f ms |%n", prime,
                        ms(t1 - t0), ms(primeNanos), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
            }
            function.close();
        }
        System.exit(0);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }

    private static int call(APIGatewayV2HTTPEventFunction function, String method, String path, String body) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRawPath(path).withBody(body)
                .withHeaders(Map.of("content-type", "application/json", "authorization", "Bearer sk_init_admin"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                                .build()).build())
                .build();
        APIGatewayV2HTTPResponse response = function.handleRequest(event, new MockLambdaContext());
        return response.getStatusCode();
    }
}
