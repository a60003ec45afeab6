package dev.strata.emulator;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * An S3-compatible API server (s3proxy) in this JVM, on a loopback port, storing objects in a local directory.
 * Code under test uses an ordinary SDK v2 {@link S3Client} (path-style), as in AWS.
 *
 * <p>Thread-safe; the creator closes it, which stops the server and the clients it handed out.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;
    private final List<S3Client> clients = new ArrayList<>();

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /** Starts a server over a fresh temporary directory on a free port. */
    public static EmbeddedS3 start() {
        try {
            return start(Files.createTempDirectory("strata-s3-"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server.
     *
     * @param dataDir directory holding the buckets (kept across restarts)
     * @param port    port to listen on, or 0 for a free one
     */
    public static EmbeddedS3 start(Path dataDir, int port) {
        int chosen = port == 0 ? EmbeddedDynamoDb.freePort() : port;
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials("local", "local")
                .overrides(properties)
                .build(BlobStoreContext.class);
        URI endpoint = URI.create("http://127.0.0.1:" + chosen);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!proxy.getState().equals("STARTED")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 10 s; state " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("s3proxy did not start on port " + chosen + ": " + e.getMessage(), e);
        }
        return new EmbeddedS3(proxy, context, endpoint);
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:41235}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A new path-style client for this server; closed with the emulator. */
    public synchronized S3Client client() {
        S3Client client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        clients.add(client);
        return client;
    }

    /** Creates a bucket if it does not exist. */
    public void createBucket(String bucket) {
        S3Client client = client();
        if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public synchronized void close() {
        clients.forEach(S3Client::close);
        clients.clear();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly", e);
        } finally {
            context.close();
        }
    }
}
