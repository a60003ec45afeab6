package dev.strata.router.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.tls.TlsMaterial;

import java.io.IOException;

/**
 * Reads the mutual-TLS secret's JSON, {@code {"caPem","certPem","keyPem"}} (the shape the CDK stack creates and
 * docs/deploy.md fills), into {@link TlsMaterial}. Every error names the secret and the field.
 */
final class TlsSecret {

    static final String CA = "caPem";
    static final String CERT = "certPem";
    static final String KEY = "keyPem";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TlsSecret() {}

    static TlsMaterial parse(String secretId, String json) {
        JsonNode root;
        try {
            root = json == null ? null : MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS secret " + secretId + " is not JSON; expected {\"" + CA + "\",\""
                    + CERT + "\",\"" + KEY + "\"}", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("TLS secret " + secretId + " holds no JSON object; expected {\"" + CA
                    + "\",\"" + CERT + "\",\"" + KEY + "\"}");
        }
        String ca = field(secretId, root, CA);
        String cert = field(secretId, root, CERT);
        String key = field(secretId, root, KEY);
        try {
            return new TlsMaterial(ca, cert, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS secret " + secretId + ": " + e.getMessage(), e);
        }
    }

    private static String field(String secretId, JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("TLS secret " + secretId + " has no field '" + name + "'; expected {\""
                    + CA + "\",\"" + CERT + "\",\"" + KEY + "\"} with PEM text (docs/deploy.md)");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("TLS secret " + secretId + " field '" + name + "' is empty; fill the"
                    + " secret with the router's PEM identity (docs/deploy.md)");
        }
        return value.asText();
    }
}
