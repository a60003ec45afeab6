package dev.strata.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.api.Document;
import dev.strata.api.Match;
import dev.strata.api.Metric;
import dev.strata.api.ShardSearchRequest;
import dev.strata.api.ShardSearchResponse;
import dev.strata.api.StrataException;
import dev.strata.catalog.BatchRecord;
import dev.strata.catalog.BatchStatus;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.Commit;
import dev.strata.catalog.NodeRecord;
import dev.strata.catalog.SegmentRef;
import dev.strata.filter.Filter;
import dev.strata.placement.PlacementTable;
import dev.strata.router.scatter.InProcessShardClient;
import dev.strata.segment.SegmentManifest;
import dev.strata.segment.SegmentReader;
import dev.strata.segment.SegmentWriter;
import dev.strata.shard.ShardIndex;
import dev.strata.shard.ShardQuery;
import dev.strata.shard.ShardingFunction;
import dev.strata.store.IngestBatchId;
import dev.strata.store.S3SegmentStore;
import dev.strata.store.SegmentStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shard-service nodes in this JVM for router tests: each node holds every shard of the collections it applied as
 * a real {@link ShardIndex} over real segments (built with {@link SegmentWriter}), reports the versions it applied in catalog heartbeats, and
 * can be made slow, failing or frozen at an old version (fault injection). A node joins a region ({@link #REGION}
 * unless named) and is called in process, or over real HTTP on a loopback port ({@link #addHttpNode}).
 * {@link #ingest} commits documents to
 * the catalog the way ingest does (one transaction bumping the version, batch item applied) and lets the nodes
 * apply them; {@link #ingestPendingObjects} does the same for JSONL objects the router wrote under {@code ingest/}.
 */
final class ShardFleet {

    static final String REGION = "local";

    private final Catalog catalog;
    private final Map<String, FleetNode> nodes = new LinkedHashMap<>();
    private final Map<String, Map<Integer, List<SegmentReader>>> committed = new ConcurrentHashMap<>();
    private final Path segmentRoot;
    private final InProcessShardClient client = new InProcessShardClient(Executors.newVirtualThreadPerTaskExecutor());
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile SegmentStore uploads;

    ShardFleet(Catalog catalog) {
        this.catalog = catalog;
        try {
            this.segmentRoot = Files.createTempDirectory("strata-router-fleet");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Like real shard nodes, heartbeat every few seconds (a heartbeat lives 60 s).
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("fleet-heartbeat").factory())
                .scheduleWithFixedDelay(() -> {
                    try {
                        heartbeat();
                    } catch (RuntimeException e) {
                        // the catalog may be closing at the end of a run
                    }
                }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * From now on {@link #ingest} also uploads every segment to {@code store} under its catalog key, with the
     * manifest's real checksum, so shard services outside this JVM can load them as they load ingest's segments.
     */
    void uploadSegmentsTo(SegmentStore store) {
        this.uploads = store;
    }

    InProcessShardClient client() {
        return client;
    }

    synchronized FleetNode addNode(String nodeId) {
        FleetNode node = new FleetNode(REGION, nodeId);
        nodes.put(nodeId, node);
        client.register(nodeId, node);
        heartbeat();
        return node;
    }

    /**
     * A node of {@code region} served over HTTP on a loopback port (its heartbeat advertises that endpoint), which
     * has applied every collection committed so far, as a node that joins loads its shards.
     */
    synchronized FleetNode addHttpNode(String region, String nodeId) {
        FleetNode node = new FleetNode(region, nodeId);
        node.http = new ShardHttpFront(node);
        node.endpoint = node.http.endpoint();
        committed.forEach((name, shards) -> {
            String[] tc = name.split("/", 2);
            CollectionRecord c = catalog.getCollection(tc[0], tc[1], true);
            node.apply(tc[0], tc[1], c.spec().shards(), Map.copyOf(shards), c.version());
        });
        nodes.put(nodeId, node);
        heartbeat();
        return node;
    }

    /**
     * A node whose heartbeat advertises {@code endpoint} (e.g. a {@link ShardNodeServer}'s http(s) URL) instead of
     * the in-process one, so a router with the HTTP shard client calls it over the network.
     */
    synchronized FleetNode addNode(String nodeId, String endpoint) {
        FleetNode node = addNode(nodeId);
        node.endpoint = endpoint;
        heartbeat();
        return node;
    }

    FleetNode node(String nodeId) {
        return nodes.get(nodeId);
    }

    List<FleetNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Every node writes its heartbeat (endpoint, applied versions, lag). */
    synchronized void heartbeat() {
        Instant now = Instant.now();
        for (FleetNode n : nodes.values()) {
            catalog.heartbeat(new NodeRecord(n.region, n.id, n.endpoint, Map.copyOf(n.applied),
                    Map.copyOf(n.lagMs), true, 0, now, now.plusSeconds(60)));
        }
    }

    /**
     * Builds one real segment per touched shard (upserts and tombstones), commits them as one batch the way ingest
     * does (one transaction bumping the version, batch applied) and lets every node that is not frozen load them.
     * Returns the new version.
     */
    long ingest(String tenant, String collection, String batchId, List<Document> documents) {
        CollectionRecord c = catalog.getCollection(tenant, collection, true);
        Map<Integer, List<SegmentReader>> shards = committed.computeIfAbsent(tenant + "/" + collection,
                k -> new ConcurrentHashMap<>());
        ShardingFunction sharding = ShardingFunction.of(c.spec(), c.centroids());
        Map<Integer, List<Document>> rows = new HashMap<>();
        Map<Integer, List<String>> tombstones = new HashMap<>();
        for (Document d : documents) {
            if (d.isDelete()) {
                for (int shard : sharding.shardsForDelete(d.id())) {
                    tombstones.computeIfAbsent(shard, x -> new ArrayList<>()).add(d.id());
                }
            } else {
                rows.computeIfAbsent(sharding.shardOf(d.id(), d.vector()), x -> new ArrayList<>()).add(d);
            }
        }
        long next = c.version() + 1;
        Map<Integer, List<SegmentRef>> added = new HashMap<>();
        Map<Integer, SegmentReader> built = new HashMap<>();
        java.util.Set<Integer> touched = new java.util.TreeSet<>(rows.keySet());
        touched.addAll(tombstones.keySet());
        for (int shard : touched) {
            String segmentId = batchId + "-" + shard;
            Path dir = segmentRoot.resolve(tenant).resolve(collection).resolve(segmentId);
            SegmentManifest manifest = SegmentWriter.write(dir, segmentId, c.spec(),
                    rows.getOrDefault(shard, List.of()), tombstones.getOrDefault(shard, List.of()));
            built.put(shard, SegmentReader.open(dir));
            String key = "segments/" + tenant + "/" + collection + "/" + shard + "/" + segmentId + "/";
            SegmentStore target = uploads;
            if (target != null) {
                target.uploadDirectory(dir, key);
            }
            added.put(shard, List.of(new SegmentRef(segmentId, key, next, rows.getOrDefault(shard, List.of()).size(),
                    tombstones.getOrDefault(shard, List.of()).size(), target != null ? manifest.bytes() : 1,
                    target != null ? manifest.checksum() : "00000000")));
        }
        BatchRecord batch = new BatchRecord(tenant, collection, batchId, BatchStatus.PENDING,
                "ingest/" + tenant + "/" + collection + "/" + batchId + ".jsonl", documents.size(),
                (int) documents.stream().filter(Document::isDelete).count(), List.of(), 0, null, 0, null,
                Instant.now(), Instant.now());
        if (catalog.putBatchIfAbsent(batch).map(b -> b.status() == BatchStatus.APPLIED).orElse(false)) {
            return c.version();
        }
        long delta = rows.values().stream().mapToLong(List::size).sum();
        CollectionRecord after = catalog.commit(new Commit(tenant, collection, c.version(), added, Map.of(), batch,
                delta, null));
        built.forEach((shard, reader) -> shards.merge(shard, List.of(reader), (old, add) -> {
            List<SegmentReader> all = new ArrayList<>(old);
            all.addAll(add);
            return List.copyOf(all);
        }));
        for (FleetNode n : nodes.values()) {
            if (!n.frozen) {
                n.apply(tenant, collection, c.spec().shards(), Map.copyOf(shards), after.version());
            }
        }
        heartbeat();
        return after.version();
    }

    /** Ingests every JSONL object under {@code ingest/} not seen yet (what the S3 event + ingest Lambda do). */
    int ingestPendingObjects(SegmentStore store, String prefix, java.util.Set<String> seen) {
        int done = 0;
        for (String key : store.list(prefix)) {
            if (seen.contains(key)) {
                continue;
            }
            String[] parts = key.split("/");
            S3SegmentStore s3 = (S3SegmentStore) store;
            String batchId;
            List<Document> documents = new ArrayList<>();
            try {
                batchId = IngestBatchId.of(s3.bucket(), key, s3.head(key).eTag());
                try (BufferedReader r = new BufferedReader(new InputStreamReader(store.open(key), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (!line.isBlank()) {
                            documents.add(mapper.readValue(line, Document.class));
                        }
                    }
                }
            } catch (StrataException.NotFound e) {
                continue; // listed while still being written; the next round sees it
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            seen.add(key);
            ingest(parts[1], parts[2], batchId, documents);
            done++;
        }
        return done;
    }

    /** Shards of the collection none of whose placed replicas is {@code nodeId} (placement over live nodes). */
    List<Integer> shardsWithoutReplicaOn(String tenant, String collection, int shards, int replicas, String nodeId) {
        PlacementTable table = PlacementTable.of(catalog.liveNodes(REGION, Instant.now()));
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            if (table.replicasFor(tenant, collection, s, replicas).stream().noneMatch(n -> n.nodeId().equals(nodeId))) {
                out.add(s);
            }
        }
        return out;
    }

    /** One in-process node. */
    static final class FleetNode implements InProcessShardClient.Node {
        final String region;
        final String id;
        final Map<String, Long> applied = new ConcurrentHashMap<>();
        final Map<String, Long> lagMs = new ConcurrentHashMap<>();
        final Map<String, ShardIndex> indexes = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile long delayMillis;
        volatile boolean failing;
        volatile boolean frozen;
        volatile String endpoint;
        ShardHttpFront http;

        FleetNode(String region, String id) {
            this.region = region;
            this.id = id;
            this.endpoint = "inproc://" + id;
        }

        /** Closes the node's HTTP port (a crash: its heartbeat lives on until it expires). */
        void stopHttp() {
            http.stop();
        }

        void apply(String tenant, String collection, int shardCount, Map<Integer, List<SegmentReader>> shards,
                   long version) {
            for (int s = 0; s < shardCount; s++) {
                String key = NodeRecord.shardKey(tenant, collection, s);
                indexes.put(key, new ShardIndex(shards.getOrDefault(s, List.of())));
                applied.put(key, version);
                lagMs.put(key, 0L);
            }
        }

        @Override
        public ShardSearchResponse search(String tenant, String collection, int shard, ShardSearchRequest request) {
            calls.incrementAndGet();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failing) {
                throw new IllegalStateException("node " + id + " is failing (injected)");
            }
            String key = NodeRecord.shardKey(tenant, collection, shard);
            Long version = applied.get(key);
            if (version == null) {
                throw new StrataException.NotFound("shard_not_placed", "shard " + key + " is not on node " + id);
            }
            if (request.minVersion() != null && version < request.minVersion()) {
                throw new StrataException.Conflict("version_not_applied", "node " + id + " applied version "
                        + version + " of " + key + "; " + request.minVersion() + " was asked for");
            }
            Filter filter = request.filter() == null ? null : Filter.parse(request.filter());
            List<Match> hits = indexes.get(key).search(new ShardQuery(request.vector(), request.k(),
                    request.searchWidth() == null ? 0 : request.searchWidth(), filter, request.includeMetadata(),
                    request.includeText()));
            return new ShardSearchResponse(hits, version, lagMs.getOrDefault(key, 0L), id);
        }

        static float score(Metric metric, float[] q, float[] v) {
            double dot = 0;
            double nq = 0;
            double nv = 0;
            double l2 = 0;
            for (int i = 0; i < q.length; i++) {
                dot += q[i] * v[i];
                nq += q[i] * q[i];
                nv += v[i] * v[i];
                l2 += (q[i] - v[i]) * (q[i] - v[i]);
            }
            return switch (metric) {
                case COSINE -> (float) (dot / Math.sqrt(nq * nv));
                case DOT -> (float) dot;
                case L2 -> (float) (1 / (1 + l2));
            };
        }
    }
}
