package dev.strata.router.collection;

import dev.strata.api.CollectionSpec;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.router.RouterConfig;
import dev.strata.router.auth.AuditLog;
import dev.strata.router.auth.Caller;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/** Create, list, describe and drop collections of the caller's tenant. Thread-safe. */
@Singleton
public final class CollectionService {

    private final Catalog catalog;
    private final CollectionCache cache;
    private final AuditLog audit;
    private final String region;

    public CollectionService(Catalog catalog, CollectionCache cache, AuditLog audit, RouterConfig config) {
        this.catalog = catalog;
        this.cache = cache;
        this.audit = audit;
        this.region = config.region();
    }

    /** Creates the collection (409 {@code collection_exists} when the name is taken in the tenant). */
    public CollectionView create(Caller caller, String name, CollectionSpec requested) {
        CollectionSpec.validateName(name);
        CollectionSpec spec = requested.withDefaults().validate();
        CollectionRecord created = catalog.createCollection(caller.tenant(), name, spec, region);
        cache.forget(caller.tenant(), name);
        audit.record(caller, "collection.create", name, Map.of("shards", spec.shards(),
                "replicas", spec.replicas(), "dimension", spec.dimension()));
        return CollectionView.of(created, null);
    }

    /** The tenant's collections, without per-shard detail. */
    public List<CollectionView> list(Caller caller) {
        return catalog.listCollections(caller.tenant()).stream().map(c -> CollectionView.of(c, null)).toList();
    }

    /** Spec, version and counts, read strongly. */
    public CollectionView describe(Caller caller, String name) {
        CollectionSpec.validateName(name);
        CollectionRecord c = cache.get(caller.tenant(), name, true);
        return CollectionView.of(c, catalog.getShards(caller.tenant(), name, true));
    }

    /** Drops the collection (404 when absent). */
    public void drop(Caller caller, String name) {
        CollectionSpec.validateName(name);
        cache.get(caller.tenant(), name, true);
        catalog.dropCollection(caller.tenant(), name);
        cache.forget(caller.tenant(), name);
        audit.record(caller, "collection.drop", name, Map.of());
    }
}
