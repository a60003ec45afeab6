package dev.strata.shard.service;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.LongAdder;

/**
 * Puts a {@link ShardSearchFastPath} into every HTTP/1.1 connection of the service port, right after the HTTP codec
 * and before the framework's own handlers ({@code NettyServerCustomizer}, the documented hook into Micronaut's
 * pipeline). With mutual TLS on, only connections that carry the TLS handler get it: the plain-HTTP management port
 * serves {@code /health} and {@code /metrics}, never searches. HTTP/2 connections (not configured here) have no
 * HTTP/1.1 codec and keep the controller. {@code strata.http.fast-path=false} leaves every search to the
 * controller. Thread-safe.
 */
@Singleton
@Requires(property = "strata.http.fast-path", notEquals = "false")
final class ShardSearchFastPathInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String HANDLER = "strata-shard-search";

    private final BeanProvider<ShardSearchExchange> exchange;
    private final BeanProvider<Tracing> tracing;
    private final BeanProvider<ServerTls> tls;
    private final LongAdder answered = new LongAdder();

    ShardSearchFastPathInstaller(BeanProvider<ShardSearchExchange> exchange, BeanProvider<Tracing> tracing,
                                 BeanProvider<ServerTls> tls) {
        this.exchange = exchange;
        this.tracing = tracing;
        this.tls = tls;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                return role == ChannelRole.CONNECTION ? new Connection(channel) : this;
            }
        });
        return event.getBean();
    }

    /** Searches answered by the fast path so far (the rest went to the controller). */
    long answered() {
        return answered.sum();
    }

    /** The customizer of one connection: adds the handler once the HTTP/1.1 pipeline is built. */
    private final class Connection implements NettyServerCustomizer {
        private final Channel channel;

        Connection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void onStreamPipelineBuilt() {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
                    || pipeline.get(HANDLER) != null) {
                return;
            }
            boolean tlsOn = tls.get().keyStore() != null;
            if (tlsOn && pipeline.get(ChannelPipelineCustomizer.HANDLER_SSL) == null) {
                return; // the management port
            }
            pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER,
                    new ShardSearchFastPath(exchange.get(), tracing.get(), answered));
        }
    }
}
