package dev.strata.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.contrib.awsxray.AwsXrayIdGenerator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.time.Duration;

/**
 * The tracing set-up of every Strata process (DESIGN §9): X-Ray trace ids ({@link AwsXrayIdGenerator}, so X-Ray
 * accepts the spans and API Gateway's {@code X-Amzn-Trace-Id} continues into them), a resource naming the service,
 * and, with {@link TracingOptions#exports()}, OTLP/HTTP export through the JDK's own HTTP client (the exporter's
 * default OkHttp sender is left out of the builds). Providers are not registered globally: several nodes and a router
 * may share one JVM in tests and the local emulation. Stateless; thread-safe.
 */
public final class StrataTracing {

    /** Semantic-convention keys used on the resource (OpenTelemetry semconv 1.x names). */
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    public static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    public static final AttributeKey<String> CLOUD_PROVIDER = AttributeKey.stringKey("cloud.provider");
    public static final AttributeKey<String> CLOUD_PLATFORM = AttributeKey.stringKey("cloud.platform");
    public static final AttributeKey<String> CLOUD_REGION = AttributeKey.stringKey("cloud.region");
    public static final AttributeKey<String> FAAS_NAME = AttributeKey.stringKey("faas.name");
    public static final AttributeKey<String> FAAS_VERSION = AttributeKey.stringKey("faas.version");

    /** How long an OTLP export may take before it is abandoned (the collector runs beside the process). */
    static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(2);

    private StrataTracing() {}

    /** The SDK's default resource (SDK name and version) with {@code service.name} and {@code extra}. */
    public static Resource resource(String serviceName, Attributes extra) {
        return Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put(SERVICE_NAME, serviceName)
                .putAll(extra)
                .build()));
    }

    /**
     * Attributes of a Lambda function: {@code cloud.provider=aws}, {@code cloud.platform=aws_lambda},
     * {@code faas.name}, and {@code faas.version} / {@code cloud.region} when known. Empty when {@code functionName}
     * is null or blank (not on Lambda).
     */
    public static Attributes lambda(String functionName, String functionVersion, String region) {
        if (functionName == null || functionName.isBlank()) {
            return Attributes.empty();
        }
        AttributesBuilder b = Attributes.builder()
                .put(CLOUD_PROVIDER, "aws")
                .put(CLOUD_PLATFORM, "aws_lambda")
                .put(FAAS_NAME, functionName);
        if (functionVersion != null && !functionVersion.isBlank()) {
            b.put(FAAS_VERSION, functionVersion);
        }
        if (region != null && !region.isBlank()) {
            b.put(CLOUD_REGION, region);
        }
        return b.build();
    }

    /** The OTLP/HTTP (protobuf) span exporter for {@code options}; the caller shuts it down (the provider does). */
    public static SpanExporter otlpExporter(TracingOptions options) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setTimeout(EXPORT_TIMEOUT);
        if (options.otlpEndpoint() != null) {
            builder.setEndpoint(options.otlpEndpoint());
        }
        return builder.build();
    }

    /** A provider builder with X-Ray ids and {@code resource}, and no span processor yet. */
    public static SdkTracerProviderBuilder builder(Resource resource) {
        return SdkTracerProvider.builder()
                .setIdGenerator(AwsXrayIdGenerator.getInstance())
                .setResource(resource);
    }

    /**
     * The provider of a long-running process: X-Ray ids, {@code resource}, and when {@code options} export, a batch
     * processor over {@link #otlpExporter}. The caller closes it (which flushes and shuts the exporter down).
     */
    public static SdkTracerProvider provider(TracingOptions options, Resource resource) {
        SdkTracerProviderBuilder builder = builder(resource);
        if (options.exports()) {
            builder.addSpanProcessor(BatchSpanProcessor.builder(otlpExporter(options)).build());
        }
        return builder.build();
    }
}
