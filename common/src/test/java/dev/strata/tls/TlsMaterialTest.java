package dev.strata.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsMaterialTest {

    private static TestCertificates certs;

    @BeforeAll
    static void generate() {
        certs = TestCertificates.shared();
    }

    @Test
    void clientSignedByTheCaCompletesTheMutualHandshake() throws Exception {
        assertThat(handshake(certs.server().sslContext(), certs.client().sslContext())).isEqualTo("ok");
    }

    @Test
    void clientFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> handshake(certs.server().sslContext(), certs.stranger().sslContext()))
                .isInstanceOf(Exception.class);
    }

    @Test
    void environmentWithAllThreeVariablesGivesTheMaterial() {
        TlsMaterial m = TlsMaterial.fromEnvironment(Map.of(TlsMaterial.CA_ENV, certs.client().caPem(),
                TlsMaterial.CERT_ENV, certs.client().certPem(), TlsMaterial.KEY_ENV, certs.client().keyPem()));
        assertThat(m).isEqualTo(certs.client());
        assertThat(TlsMaterial.fromEnvironment(Map.of())).isNull();
    }

    @Test
    void partialEnvironmentNamesWhatIsMissing() {
        assertThatThrownBy(() -> TlsMaterial.fromEnvironment(Map.of(TlsMaterial.CA_ENV, certs.client().caPem())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing: STRATA_TLS_CERT_PEM, STRATA_TLS_KEY_PEM");
    }

    @Test
    void textThatIsNotPemIsRejectedByField() {
        assertThatThrownBy(() -> new TlsMaterial("x", certs.client().certPem(), certs.client().keyPem()))
                .hasMessage("caPem is not PEM text (no '-----BEGIN' line)");
    }

    @Test
    void pkcs1KeyIsRejectedWithTheConversionCommand() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        TlsMaterial m = new TlsMaterial(certs.client().caPem(), certs.client().certPem(), pkcs1);
        assertThatThrownBy(m::keyStore).hasMessageContaining("'RSA PRIVATE KEY' block; convert it to PKCS#8");
    }

    /** One TLS connection over loopback; the server requires a client certificate. */
    private static String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(10_000);
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.getOutputStream().write("ok".getBytes());
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // the client sees the failed handshake
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                byte[] two = socket.getInputStream().readNBytes(2);
                accepted.get(10, TimeUnit.SECONDS);
                if (two.length < 2) {
                    throw new IOException("the server closed the connection");
                }
                return new String(two);
            }
        }
    }
}
