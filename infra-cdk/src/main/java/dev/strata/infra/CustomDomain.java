package dev.strata.infra;

/**
 * The optional public name of the API: one latency-routed record per region in an existing Route 53 zone.
 *
 * @param domainName     the API's host name, e.g. {@code api.strata.example.com}
 * @param hostedZoneId   the id of the public hosted zone that holds it
 * @param hostedZoneName the zone's name, e.g. {@code strata.example.com}
 */
public record CustomDomain(String domainName, String hostedZoneId, String hostedZoneName) {
    public CustomDomain {
        requireText("domainName", domainName);
        requireText("hostedZoneId", hostedZoneId);
        requireText("hostedZoneName", hostedZoneName);
        if (!domainName.equals(hostedZoneName) && !domainName.endsWith("." + hostedZoneName)) {
            throw new IllegalArgumentException("domainName '" + domainName + "' is not inside hostedZoneName '"
                    + hostedZoneName + "'");
        }
    }

    /** The zone name implied by a host name: everything after its first label. */
    static String parentZoneOf(String domainName) {
        int dot = domainName.indexOf('.');
        if (dot < 0 || dot == domainName.length() - 1) {
            throw new IllegalArgumentException("domainName '" + domainName
                    + "' has no parent zone; pass -c hostedZoneName=<zone>");
        }
        return domainName.substring(dot + 1);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is blank; a custom domain needs domainName, hostedZoneId"
                    + " and hostedZoneName");
        }
    }
}
