package dev.strata.local.bench;

import dev.strata.api.ShardSearchBinary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's minimal HTTP/1.1 client over one keep-alive connection: POSTs a pre-encoded shard search (JSON or
 * {@link ShardSearchBinary}'s form, with the headers the router sends) and reads the response
 * (Content-Length or chunked). One per thread; not thread-safe.
 */
final class KeepAliveClient implements AutoCloseable {

    /** A response: status and body. */
    record Response(int status, byte[] body) {}

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] head;
    boolean fresh = true;

    KeepAliveClient(URI endpoint, String path, boolean binary) {
        try {
            socket = new Socket(endpoint.getHost(), endpoint.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = binary ? ShardSearchBinary.MEDIA_TYPE : "application/json";
        String accept = binary ? ShardSearchBinary.MEDIA_TYPE + ", application/json" : "application/json";
        head = ("POST " + path + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\nUser-Agent: Java-http-client/" + Runtime.version().feature()
                + "\r\nContent-Type: " + type + "\r\nAccept: " + accept + "\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    Response post(byte[] body, byte[] trace) {
        try {
            byte[] size = (body.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[head.length + size.length + trace.length + 2 + body.length];
            int at = 0;
            System.arraycopy(head, 0, request, at, head.length);
            System.arraycopy(size, 0, request, at += head.length, size.length);
            System.arraycopy(trace, 0, request, at += size.length, trace.length);
            at += trace.length;
            request[at++] = '\r';
            request[at++] = '\n';
            System.arraycopy(body, 0, request, at, body.length);
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            return new Response(code, chunked ? chunked() : in.readNBytes(Math.max(0, length)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] chunked() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line().split(";")[0].trim(), 16);
            if (size == 0) {
                line();
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed by the server");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a benchmark connection; nothing to recover
        }
    }
}
