package dev.strata.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigatewayv2.ApiMapping;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.HealthCheck;
import software.amazon.awscdk.services.route53.HealthCheckType;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.ApiGatewayv2DomainProperties;
import software.constructs.Construct;

/**
 * This region's share of the public name (DESIGN §6): a regional certificate, the API's custom domain, a
 * Route 53 health check on the region's own endpoint and a latency record that answers with this region while
 * the check passes. Every region adds one record with the same name; Route 53 picks the nearest healthy one.
 */
public final class RegionalDomain extends Construct {
    /** Path the health check requests; the router answers it without authentication. */
    public static final String HEALTH_PATH = "/health";

    private final HealthCheck healthCheck;
    private final ARecord record;

    public RegionalDomain(Construct scope, String id, CustomDomain domain, RouterApi router) {
        super(scope, id);
        String region = Stack.of(this).getRegion();
        IHostedZone zone = HostedZone.fromHostedZoneAttributes(this, "Zone", HostedZoneAttributes.builder()
                .hostedZoneId(domain.hostedZoneId())
                .zoneName(domain.hostedZoneName())
                .build());
        Certificate certificate = Certificate.Builder.create(this, "Certificate")
                .domainName(domain.domainName())
                .validation(CertificateValidation.fromDns(zone))
                .build();
        DomainName name = DomainName.Builder.create(this, "DomainName")
                .domainName(domain.domainName())
                .certificate(certificate)
                .build();
        ApiMapping.Builder.create(this, "Mapping")
                .api(router.api())
                .domainName(name)
                .stage(router.stage())
                .build();
        this.healthCheck = HealthCheck.Builder.create(this, "HealthCheck")
                .type(HealthCheckType.HTTPS)
                .fqdn(router.executeApiHost())
                .port(443)
                .resourcePath(HEALTH_PATH)
                .requestInterval(software.amazon.awscdk.Duration.seconds(30))
                .failureThreshold(3)
                .build();
        this.record = ARecord.Builder.create(this, "LatencyRecord")
                .zone(zone)
                .recordName(domain.domainName())
                .target(RecordTarget.fromAlias(new ApiGatewayv2DomainProperties(
                        name.getRegionalDomainName(), name.getRegionalHostedZoneId())))
                .region(region)
                .setIdentifier("strata-" + region)
                .healthCheck(healthCheck)
                .build();
    }

    public HealthCheck healthCheck() {
        return healthCheck;
    }

    public ARecord record() {
        return record;
    }
}
