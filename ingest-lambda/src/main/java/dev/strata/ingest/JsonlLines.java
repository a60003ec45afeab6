package dev.strata.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Streams the lines of a JSONL ingest object (gunzipped for {@code .jsonl.gz}), never holding more than one line.
 * Enforces the per-object limits: a line beyond {@code maxLines} or a byte beyond {@code maxBytes} (uncompressed)
 * stops the read with {@link LimitExceeded}; a single line longer than {@code maxLineBytes} is returned as
 * {@link Line#tooLong()} (its bytes skipped) so it can be rejected alone. Blank lines are skipped but counted.
 * Not thread-safe; the caller closes it (which closes the stream).
 */
final class JsonlLines implements AutoCloseable {

    /** One line: its 1-based number and text, or tooLong with its byte count. */
    record Line(int number, String text, boolean tooLong, long bytes) {}

    /** The object breaks a per-object limit; the message names the limit. */
    static final class LimitExceeded extends RuntimeException {
        LimitExceeded(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final long maxLines;
    private final long maxBytes;
    private final int maxLineBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
    private long bytesRead;
    private int lineNumber;

    JsonlLines(InputStream raw, boolean gzip, long maxLines, long maxBytes, int maxLineBytes) throws IOException {
        InputStream buffered = new BufferedInputStream(raw, 1 << 16);
        this.in = gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next non-blank line, or null at the end. */
    Line next() throws IOException {
        while (true) {
            buffer.reset();
            long lineBytes = 0;
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (++bytesRead > maxBytes) {
                    throw new LimitExceeded("object has more than " + maxBytes
                            + " bytes uncompressed; at most " + maxBytes + " are allowed per ingest object");
                }
                if (b == '\n') {
                    break;
                }
                if (lineBytes++ < maxLineBytes) {
                    buffer.write(b);
                }
            }
            if (!any) {
                return null;
            }
            lineNumber++;
            if (lineNumber > maxLines) {
                throw new LimitExceeded("object has more than " + maxLines + " lines; at most " + maxLines
                        + " are allowed per ingest object");
            }
            if (lineBytes > maxLineBytes) {
                return new Line(lineNumber, null, true, lineBytes);
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                return new Line(lineNumber, text, false, lineBytes);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
