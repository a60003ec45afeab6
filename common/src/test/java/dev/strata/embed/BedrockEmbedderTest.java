package dev.strata.embed;

import dev.strata.api.StrataException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bedrock cannot be reached from here, so these tests put a fake at the SDK's HTTP layer: the real
 * {@link BedrockRuntimeClient} signs and serialises the request, the fake answers as Titan v2 does.
 */
class BedrockEmbedderTest {

    /** Records requests; answers each with a canned status and body. */
    static final class CannedHttp implements SdkHttpClient {
        final List<String> bodies = new ArrayList<>();
        final List<String> paths = new ArrayList<>();
        final int status;
        final String answer;
        final String errorType;

        CannedHttp(int status, String answer, String errorType) {
            this.status = status;
            this.answer = answer;
            this.errorType = errorType;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    try {
                        paths.add(request.httpRequest().encodedPath());
                        bodies.add(new String(request.contentStreamProvider().orElseThrow().newStream().readAllBytes(),
                                StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status)
                            .putHeader("Content-Type", "application/json");
                    if (errorType != null) {
                        response.putHeader("x-amzn-ErrorType", errorType);
                    }
                    return HttpExecuteResponse.builder().response(response.build())
                            .responseBody(AbortableInputStream.create(
                                    new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8))))
                            .build();
                }

                @Override
                public void abort() {}
            };
        }

        @Override
        public void close() {}
    }

    private static BedrockRuntimeClient client(SdkHttpClient http) {
        return BedrockRuntimeClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(http)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(s -> s.maxAttempts(1)))
                .build();
    }

    private static String titanAnswer(int dimension) {
        StringBuilder sb = new StringBuilder("{\"embedding\":[");
        for (int i = 0; i < dimension; i++) {
            sb.append(i == 0 ? "" : ",").append(i / 1000.0);
        }
        return sb.append("],\"inputTextTokenCount\":4}").toString();
    }

    @Test
    void titanRequestAndResponseAreMapped() {
        // GIVEN Titan v2 answering with a 256-value embedding
        CannedHttp http = new CannedHttp(200, titanAnswer(256), null);
        try (BedrockRuntimeClient client = client(http)) {
            BedrockEmbedder embedder = BedrockEmbedder.titanV2(client, 256);
            // WHEN two texts are embedded
            List<float[]> vectors = embedder.embed(List.of("hello world", "second"));
            // THEN one InvokeModel call per text, with Titan's body, and the vectors are parsed
            assertThat(http.paths).containsOnly("/model/amazon.titan-embed-text-v2%3A0/invoke");
            assertThat(http.bodies).containsExactly(
                    "{\"inputText\":\"hello world\",\"dimensions\":256,\"normalize\":true}",
                    "{\"inputText\":\"second\",\"dimensions\":256,\"normalize\":true}");
            assertThat(vectors).hasSize(2);
            assertThat(vectors.get(0)).hasSize(256);
            assertThat(vectors.get(0)[255]).isEqualTo(0.255f);
            assertThat(embedder.dimension()).isEqualTo(256);
            assertThat(embedder.model()).isEqualTo("amazon.titan-embed-text-v2:0");
        }
    }

    @Test
    void repeatedTextIsServedFromTheCache() {
        CannedHttp http = new CannedHttp(200, titanAnswer(512), null);
        try (BedrockRuntimeClient client = client(http)) {
            BedrockEmbedder embedder = BedrockEmbedder.titanV2(client, 512);
            embedder.embed("same");
            float[] again = embedder.embed("same");
            assertThat(http.bodies).hasSize(1);
            assertThat(again).hasSize(512);
        }
    }

    @Test
    void wrongDimensionAnswerIsUnavailable() {
        CannedHttp http = new CannedHttp(200, titanAnswer(10), null);
        try (BedrockRuntimeClient client = client(http)) {
            assertThatThrownBy(() -> BedrockEmbedder.titanV2(client, 1024).embed("x"))
                    .isInstanceOfSatisfying(StrataException.Unavailable.class,
                            e -> assertThat(e.code()).isEqualTo("embedder_unavailable"))
                    .hasMessage("Bedrock model amazon.titan-embed-text-v2:0 answered with 10 values; expected 1024");
        }
    }

    @Test
    void throttlingBecomesRateLimited() {
        CannedHttp http = new CannedHttp(429, "{\"message\":\"Too many requests\"}", "ThrottlingException");
        try (BedrockRuntimeClient client = client(http)) {
            assertThatThrownBy(() -> BedrockEmbedder.titanV2(client, 256).embed("x"))
                    .isInstanceOf(StrataException.RateLimited.class)
                    .hasMessageStartingWith("Bedrock is throttling model amazon.titan-embed-text-v2:0");
        }
    }

    @Test
    void unsupportedDimensionIsRefused() {
        CannedHttp http = new CannedHttp(200, titanAnswer(256), null);
        try (BedrockRuntimeClient client = client(http)) {
            assertThatThrownBy(() -> BedrockEmbedder.titanV2(client, 384))
                    .isInstanceOf(StrataException.InvalidRequest.class)
                    .hasMessage("dimension is 384; Titan v2 supports 256, 512 or 1024");
        }
    }
}
