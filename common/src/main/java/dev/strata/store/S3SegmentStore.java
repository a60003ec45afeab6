package dev.strata.store;

import dev.strata.api.StrataException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@link SegmentStore} on one S3 bucket through an injected SDK v2 {@link S3Client} (owned and closed by the
 * caller; path-style clients such as the in-process s3proxy work too).
 *
 * <p>Every upload carries a CRC32C checksum computed here ({@code x-amz-checksum-crc32c}), so S3 refuses a body
 * that was corrupted on the way. Files larger than the multipart threshold (16 MiB by default) are uploaded in
 * parts of that size, each with its own checksum; a failed multipart upload is aborted. SDK failures become
 * {@link StrataException.Unavailable} ({@code store_unavailable}); a missing object is
 * {@link StrataException.NotFound} ({@code object_not_found}). Thread-safe: no mutable state.
 */
public final class S3SegmentStore implements SegmentStore {

    /** Default size above which a file is uploaded in parts, and the part size. */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final long multipartThreshold;

    public S3SegmentStore(S3Client s3, String bucket) {
        this(s3, bucket, DEFAULT_MULTIPART_THRESHOLD);
    }

    /** @param multipartThreshold files above it go in parts of this size; at least 5 MiB (S3's minimum part) */
    public S3SegmentStore(S3Client s3, String bucket, long multipartThreshold) {
        if (multipartThreshold < 5L * 1024 * 1024) {
            throw new IllegalArgumentException("multipartThreshold is " + multipartThreshold
                    + "; S3 parts must be at least 5 MiB");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.multipartThreshold = multipartThreshold;
    }

    /** The bucket this store writes to. */
    public String bucket() {
        return bucket;
    }

    @Override
    public void uploadDirectory(Path dir, String keyPrefix) {
        requirePrefix(keyPrefix);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path file : files) {
            uploadFile(file, keyPrefix + file.getFileName());
        }
    }

    /** Uploads one file, in parts when it is larger than the multipart threshold. */
    public void uploadFile(Path file, String key) {
        try {
            long size = Files.size(file);
            if (size > multipartThreshold) {
                uploadMultipart(file, key, size);
            } else {
                byte[] bytes = Files.readAllBytes(file);
                putBytes(key, bytes, "application/octet-stream", java.util.Map.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void downloadDirectory(String keyPrefix, Path dir) {
        requirePrefix(keyPrefix);
        try {
            Files.createDirectories(dir);
            for (String key : list(keyPrefix)) {
                String name = key.substring(keyPrefix.length());
                if (name.isEmpty() || name.contains("/")) {
                    continue; // only the files directly under the prefix belong to the segment
                }
                Path target = dir.resolve(name);
                Path partial = dir.resolve(name + ".part");
                Files.deleteIfExists(partial);
                call(() -> s3.getObject(r -> r.bucket(bucket).key(key), partial));
                Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir, e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        putBytes(key, bytes, contentType, java.util.Map.of());
    }

    @Override
    public void put(String key, byte[] bytes, String contentType, java.util.Map<String, String> metadata) {
        putBytes(key, bytes, contentType, metadata);
    }

    @Override
    public InputStream open(String key) {
        try {
            return call(() -> s3.getObject(r -> r.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            throw notFound(key);
        }
    }

    /** Size and ETag of an object, or NotFound. */
    public ObjectInfo head(String key) {
        try {
            var head = call(() -> s3.headObject(r -> r.bucket(bucket).key(key)));
            return new ObjectInfo(key, head.contentLength(), head.eTag(), head.versionId(), head.metadata());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            throw notFound(key);
        } catch (StrataException.Unavailable e) {
            if (e.getCause() instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e
                    && s3e.statusCode() == 404) {
                throw notFound(key);
            }
            throw e;
        }
    }

    @Override
    public java.util.Map<String, String> userMetadata(String key) {
        return head(key).metadata();
    }

    /** What {@link #head} tells about an object. */
    public record ObjectInfo(String key, long size, String eTag, String versionId, java.util.Map<String, String> metadata) {}

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        call(() -> {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                    .contents().forEach((S3Object o) -> keys.add(o.key()));
            return null;
        });
        return keys;
    }

    @Override
    public void deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> ids = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsResponse response = call(() -> s3.deleteObjects(r -> r.bucket(bucket)
                    .delete(Delete.builder().objects(ids).quiet(true).build())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new StrataException.Unavailable("store_unavailable", "could not delete "
                        + response.errors().size() + " objects under " + prefix + ", first: "
                        + response.errors().get(0).key() + " (" + response.errors().get(0).message() + ")");
            }
        }
    }

    private void putBytes(String key, byte[] bytes, String contentType, java.util.Map<String, String> metadata) {
        call(() -> s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).metadata(metadata)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumCRC32C(crc32c(ByteBuffer.wrap(bytes))),
                RequestBody.fromBytes(bytes)));
    }

    private void uploadMultipart(Path file, String key, long size) throws IOException {
        String uploadId = call(() -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C))).uploadId();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long offset = 0; offset < size; offset += multipartThreshold, partNumber++) {
                int length = (int) Math.min(multipartThreshold, size - offset);
                ByteBuffer part = ByteBuffer.allocate(length);
                while (part.hasRemaining() && channel.read(part, offset + part.position()) >= 0) {
                    // read until the part is full
                }
                part.flip();
                String checksum = crc32c(part.duplicate());
                int number = partNumber;
                UploadPartResponse response = call(() -> s3.uploadPart(r -> r.bucket(bucket).key(key)
                                .uploadId(uploadId).partNumber(number)
                                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumCRC32C(checksum),
                        RequestBody.fromByteBuffer(part)));
                parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag())
                        .checksumCRC32C(response.checksumCRC32C()).build());
            }
            call(() -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
        } catch (RuntimeException | IOException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    /** Base64 of the big-endian CRC32C of the buffer's remaining bytes, as S3 expects it. */
    static String crc32c(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        long value = crc.getValue();
        byte[] be = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        return Base64.getEncoder().encodeToString(be);
    }

    private static void requirePrefix(String keyPrefix) {
        if (keyPrefix == null || !keyPrefix.endsWith("/")) {
            throw new IllegalArgumentException("key prefix '" + keyPrefix + "' must end in '/'");
        }
    }

    private StrataException.NotFound notFound(String key) {
        return new StrataException.NotFound("object_not_found", "object '" + key + "' does not exist in bucket '"
                + bucket + "'");
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (SdkException e) {
            throw new StrataException.Unavailable("store_unavailable",
                    "the segment store cannot be reached: " + e.getMessage(), e);
        }
    }
}
