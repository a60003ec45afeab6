package dev.strata.local.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP proxy that delays every chunk of the answers flowing back from its target, to make one shard
 * node slow for the chaos tests (a node advertises the proxy's address instead of its own). The target port is
 * set after the proxy starts, since the node picks its port when it starts. Thread-safe; the creator closes it.
 */
public final class DelayProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> open = new ArrayList<>();
    private volatile int targetPort;
    private volatile long delayMillis;

    private DelayProxy(ServerSocket server) {
        this.server = server;
    }

    /** Starts listening on a free loopback port. */
    public static DelayProxy start() throws IOException {
        DelayProxy proxy = new DelayProxy(new ServerSocket(0, 100, InetAddress.getLoopbackAddress()));
        proxy.threads.execute(proxy::acceptLoop);
        return proxy;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public void target(int port) {
        targetPort = port;
    }

    public void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                synchronized (open) {
                    open.add(client);
                    open.add(upstream);
                }
                threads.execute(() -> pump(client, upstream, false));
                threads.execute(() -> pump(upstream, client, true));
            } catch (IOException e) {
                // Closed, or the target refused: the caller sees a failed connection, as with a dead node.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean delayed) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                long d = delayMillis;
                if (delayed && d > 0) {
                    Thread.sleep(d);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // Either side closed: close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            open.forEach(DelayProxy::closeQuietly);
        }
        threads.shutdownNow();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
