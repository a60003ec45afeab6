package dev.strata.infra;

import dev.strata.catalog.CatalogSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexPropsV2;
import software.amazon.awscdk.services.dynamodb.ITableV2;
import software.amazon.awscdk.services.dynamodb.TableAttributesV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * Everything one region runs (DESIGN §1, §6): segment bucket, ingest pipeline, serving VPC, shard service, router
 * API, mutual TLS material, alarms and dashboard, and optionally its latency record of the public name. It finds
 * the catalog replica by its fixed name; the global stack must be deployed first.
 */
public final class StrataRegionStack extends Stack {

    /**
     * @param stack      environment (account, this region) and tags
     * @param catalogKey this region's catalog key (from its {@link StrataKeyStack})
     * @param homeRegion the catalog's home region
     * @param peers      the regions that receive this region's segments (the others, or none)
     * @param capacity   size of the serving tier
     * @param artifacts  the other modules' builds
     * @param domain     the public name, if any
     * @param vpcCidr    this region's serving VPC block
     * @param peerCidrs  the serving VPC blocks of the regions whose routers may call this region's shards
     *                   (region -> block; empty without VPC peering)
     */
    public record Props(StackProps stack, IKey catalogKey, String homeRegion, List<String> peers, ShardCapacity capacity,
                        Artifacts artifacts, Optional<CustomDomain> domain, String vpcCidr,
                        Map<String, String> peerCidrs) {}

    private final DataKey dataKey;
    private final SegmentBucket segments;
    private final IngestPipeline ingest;
    private final ServingNetwork network;
    private final MutualTls tls;
    private final ShardService shards;
    private final RouterApi router;
    private final Alarms alarms;
    private final Optional<RegionalDomain> domain;

    public StrataRegionStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        this.dataKey = new DataKey(this, "DataKey", DataKey.DATA_ALIAS,
                "Strata segments, ingest queues, alarm topic and TLS secrets in this region", true);
        IKey key = dataKey.key();
        ITableV2 table = TableV2.fromTableAttributes(this, "Catalog", TableAttributesV2.builder()
                .tableName(CatalogSchema.DEFAULT_TABLE_NAME)
                .globalIndexes(List.of(CatalogSchema.GSI1))
                .encryptionKey(props.catalogKey())
                .build());
        CatalogAccess catalog = new CatalogAccess(table, props.catalogKey());

        this.alarms = new Alarms(this, "Alarms", key);
        this.segments = new SegmentBucket(this, "Segments",
                new SegmentBucket.Props(key, props.peers(), SegmentBucket.Retention.DEFAULT));
        this.ingest = new IngestPipeline(this, "Ingest",
                new IngestPipeline.Props(props.artifacts().ingestJar(), segments, catalog, key, props.homeRegion()));
        this.network = new ServingNetwork(this, "Network", props.capacity().natGateways(), props.vpcCidr());
        this.tls = new MutualTls(this, "MutualTls", key);
        this.shards = new ShardService(this, "Shards", new ShardService.Props(network, props.capacity(),
                props.artifacts().shardImageDirectory(), catalog, segments, key, props.homeRegion(), tls,
                alarms.topic()));
        tls.grantServerRead(shards.taskDefinition().obtainExecutionRole());
        props.peerCidrs().forEach(shards::allowFromPeerRegion);
        this.router = new RouterApi(this, "Router", new RouterApi.Props(props.artifacts().routerJar(), network,
                shards, catalog, segments, key, tls, props.homeRegion()));
        alarms.watch(ingest.deadLetters());
        this.domain = props.domain().map(d -> new RegionalDomain(this, "Domain", d, router));
        NagSuppressionsForStrata.apply(this);
    }

    public DataKey dataKey() {
        return dataKey;
    }

    public SegmentBucket segments() {
        return segments;
    }

    public IngestPipeline ingest() {
        return ingest;
    }

    public ServingNetwork network() {
        return network;
    }

    public ShardService shards() {
        return shards;
    }

    public RouterApi router() {
        return router;
    }

    public Alarms alarms() {
        return alarms;
    }

    public Optional<RegionalDomain> domain() {
        return domain;
    }
}
