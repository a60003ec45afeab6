package dev.strata.router.tls;

import dev.strata.tls.TestCertificates;
import dev.strata.tls.TlsMaterial;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsSecretTest {

    private static final String ID = "arn:aws:secretsmanager:us-east-1:000000000000:secret:router-AbC";

    @Test
    void aFilledSecretIsTheRoutersMaterial() {
        TlsMaterial client = TestCertificates.shared().client();
        String json = "{\"caPem\":" + quote(client.caPem()) + ",\"certPem\":" + quote(client.certPem())
                + ",\"keyPem\":" + quote(client.keyPem()) + ",\"unsetMarker\":\"x\"}";
        assertThat(TlsSecret.parse(ID, json)).isEqualTo(client);
    }

    @Test
    void aMissingFieldIsNamed() {
        assertThatThrownBy(() -> TlsSecret.parse(ID, "{\"caPem\":\"a\",\"certPem\":\"b\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TLS secret " + ID + " has no field 'keyPem'");
    }

    @Test
    void anEmptyFieldIsNamed() {
        assertThatThrownBy(() -> TlsSecret.parse(ID, "{\"caPem\":\"\",\"certPem\":\"b\",\"keyPem\":\"c\"}"))
                .hasMessageContaining("field 'caPem' is empty");
    }

    @Test
    void textThatIsNotPemIsNamedWithTheSecret() {
        assertThatThrownBy(() -> TlsSecret.parse(ID, "{\"caPem\":\"a\",\"certPem\":\"b\",\"keyPem\":\"c\"}"))
                .hasMessage("TLS secret " + ID + ": caPem is not PEM text (no '-----BEGIN' line)");
    }

    @Test
    void aSecretThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> TlsSecret.parse(ID, "-----BEGIN CERTIFICATE-----"))
                .hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> TlsSecret.parse(ID, "[1]")).hasMessageContaining("holds no JSON object");
        assertThatThrownBy(() -> TlsSecret.parse(ID, null)).hasMessageContaining("holds no JSON object");
    }

    private static String quote(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
