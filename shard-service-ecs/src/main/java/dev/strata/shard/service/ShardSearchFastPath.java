package dev.strata.shard.service;

import dev.strata.api.ShardSearchBinary;
import dev.strata.api.StrataException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.slf4j.MDC;

import java.util.concurrent.atomic.LongAdder;

/**
 * Answers {@code POST /internal/v1/shards/{tenant}/{collection}/{shard}/search} straight from the HTTP/1.1 codec,
 * without the framework's routing, binding, filters and body handlers (about half of a search request's CPU on the
 * event loop); every other request, and every search it does not claim, passes to the framework untouched.
 *
 * <p>It is transport only: the body is handed to {@link ShardSearchExchange}, whose {@link ShardSearchService} is
 * the same the controller calls, so placement, validation, {@code minVersion}, drain on shutdown and metrics are one
 * code path. What the framework adds around the controller is done here too: the caller's trace continues in a
 * server span ({@link Tracing}, as {@link TraceFilter}), the response carries {@code X-Amzn-Trace-Id}, the log context
 * holds {@code trace_id}, {@code tenant}, {@code collection} and {@code shard} while the search runs, errors are the
 * JSON error body with the controller's statuses, and {@code Connection: close} is honoured. TLS sits below the codec,
 * so a connection that reaches this handler has passed the client-certificate check.
 *
 * <p>A search is claimed only when it is an HTTP/1.1 {@code POST} to exactly that path (no query string, no
 * percent-encoded or '+' segment: those are decoded by the framework), with a JSON or
 * {@value ShardSearchBinary#MEDIA_TYPE} body of at most {@link #MAX_BODY_BYTES} declared bytes, no
 * {@code Expect} header, and no earlier request on the connection still waiting for the framework's answer (so
 * pipelined responses keep their order). Anything else is the framework's: the controller serves the same searches.
 *
 * <p>One instance per connection; used by the connection's event loop only.
 */
final class ShardSearchFastPath extends ChannelDuplexHandler {

    /** Larger declared bodies go to the framework, which applies its own size limit. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final long MAX_DISCARDED_BYTES = 64L << 20;

    private static final String PREFIX = "/internal/v1/shards/";
    private static final String SUFFIX = "/search";
    private static final CharSequence TRACE_HEADER = "X-Amzn-Trace-Id";

    private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.names();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final ShardSearchExchange exchange;
    private final Tracing tracing;
    private final LongAdder answered;

    /** The claimed search whose body is arriving, or null. */
    private HttpRequest claimed;
    private String tenant;
    private String collection;
    private String shard;
    private boolean binary;
    private ByteBuf body;
    /** Requests handed to the framework whose last response part has not been written yet. */
    private int frameworkPending;
    private boolean flushPending;
    /**
     * The rest of a body refused as too large is read and dropped, so the client reads the 413 instead of a reset;
     * the connection closes at its end, or once {@link #MAX_DISCARDED_BYTES} more have come.
     */
    private boolean discarding;
    private long discarded;

    ShardSearchFastPath(ShardSearchExchange exchange, Tracing tracing, LongAdder answered) {
        this.exchange = exchange;
        this.tracing = tracing;
        this.answered = answered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            if (msg instanceof HttpContent content) {
                discarded += content.content().readableBytes();
            }
            io.netty.util.ReferenceCountUtil.release(msg);
            if (msg instanceof LastHttpContent || discarded > MAX_DISCARDED_BYTES) {
                discarding = false;
                ctx.close();
            }
            return;
        }
        if (msg instanceof HttpRequest request && claimed == null) {
            if (frameworkPending > 0 || !claim(request)) {
                frameworkPending++;
                ctx.fireChannelRead(msg);
                return;
            }
            claimed = request;
            int declared = HttpUtil.getContentLength(request, -1);
            body = ctx.alloc().heapBuffer(declared > 0 ? declared : 2048);
        } else if (claimed == null) {
            ctx.fireChannelRead(msg); // the body of a request the framework handles
            return;
        }
        if (msg instanceof HttpContent content) {
            try {
                if (body.readableBytes() + content.content().readableBytes() > MAX_BODY_BYTES) {
                    tooLarge(ctx, !(msg instanceof LastHttpContent));
                    return;
                }
                body.writeBytes(content.content());
            } finally {
                content.release();
            }
            if (msg instanceof LastHttpContent) {
                answer(ctx);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Only the framework's responses pass here (this handler writes from its own context, below itself).
        if (msg instanceof LastHttpContent && frameworkPending > 0
                && !(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            frameworkPending--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBody();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBody();
        ctx.fireChannelInactive();
    }

    private boolean claim(HttpRequest request) {
        if (request.method() != HttpMethod.POST || request.protocolVersion() != HttpVersion.HTTP_1_1
                || !request.decoderResult().isSuccess()) {
            return false;
        }
        HttpHeaders headers = request.headers();
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        boolean isBinary = ShardSearchBinary.isMediaType(contentType);
        if (!isBinary && !isJson(contentType) || headers.contains(HttpHeaderNames.EXPECT)
                || HttpUtil.getContentLength(request, 0) > MAX_BODY_BYTES) {
            return false;
        }
        // /internal/v1/shards/{tenant}/{collection}/{shard}/search, read by index: no split, no regex
        String uri = request.uri();
        if (!uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX)) {
            return false;
        }
        int end = uri.length() - SUFFIX.length();
        int first = uri.indexOf('/', PREFIX.length());
        int second = first < 0 ? -1 : uri.indexOf('/', first + 1);
        if (first <= PREFIX.length() || second <= first + 1 || second >= end || uri.indexOf('/', second + 1) != end) {
            return false;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            char c = uri.charAt(i);
            if (c == '%' || c == '+' || c == '?' || c == '#') {
                return false;
            }
        }
        tenant = uri.substring(PREFIX.length(), first);
        collection = uri.substring(first + 1, second);
        shard = uri.substring(second + 1, end);
        binary = isBinary;
        return true;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        return (end < 0 ? contentType : contentType.substring(0, end)).trim().equalsIgnoreCase(ShardSearchExchange.JSON);
    }

    private void answer(ChannelHandlerContext ctx) {
        HttpRequest request = claimed;
        String path = request.uri();
        Span span = tracing.startSearchSpan(request.headers(), HEADERS, "POST", path);
        MDC.put("trace_id", Tracing.xrayTraceId(span));
        MDC.put("tenant", tenant);
        MDC.put("collection", collection);
        MDC.put("shard", shard);
        ShardSearchExchange.Reply reply;
        try {
            reply = exchange.search(tenant, collection, shard, binary, body.nioBuffer(), path);
        } finally {
            releaseBody();
            claimed = null;
            MDC.remove("trace_id");
            MDC.remove("tenant");
            MDC.remove("collection");
            MDC.remove("shard");
        }
        Tracing.endSearchSpan(span, reply.status());
        answered.increment();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        send(ctx, reply, Tracing.xrayResponseHeader(span), keepAlive, !keepAlive);
    }

    private void tooLarge(ChannelHandlerContext ctx, boolean moreToCome) {
        releaseBody();
        claimed = null;
        ShardSearchExchange.Reply reply = exchange.error(413, new StrataException.PayloadTooLarge(
                "request body is over " + MAX_BODY_BYTES + " bytes; a search body must be at most that").toResponse());
        // The connection is not reused: it closes once the rest of the body has been read (or at once if none is left).
        discarding = moreToCome;
        discarded = 0;
        send(ctx, reply, null, false, !moreToCome);
    }

    private void send(ChannelHandlerContext ctx, ShardSearchExchange.Reply reply, String traceHeader,
                      boolean keepAlive, boolean closeAfter) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        if (traceHeader != null) {
            headers.set(TRACE_HEADER, traceHeader);
        }
        if (keepAlive) {
            ctx.write(response);
            flushPending = true;
            return;
        }
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        var written = ctx.writeAndFlush(response);
        if (closeAfter) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
