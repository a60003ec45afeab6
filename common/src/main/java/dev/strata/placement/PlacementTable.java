package dev.strata.placement;

import dev.strata.catalog.NodeRecord;
import dev.strata.shard.StableHash;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which shard-service nodes hold which shard replicas, computed the same way by every node and router from
 * the live nodes' heartbeats, so no coordinator exists (DESIGN §5).
 *
 * <p>Rule (rendezvous, or highest-random-weight, hashing): for a shard key {@code (tenant, collection, shard)}
 * every node gets the weight {@code fmix64(xxh64(tenant␟collection␟shard) ^ xxh64(nodeId))} (unsigned; ties by
 * node id); the replicas are the {@code replicas} heaviest nodes, heaviest first. Hence:
 * <ul>
 *   <li>the answer depends only on the set of node ids, not on their order or on the process (the hashes are
 *       {@link StableHash}, never {@code Object.hashCode});</li>
 *   <li>the replicas are distinct nodes, and fewer than asked only when fewer nodes are live;</li>
 *   <li>when a node leaves, only the shards it held change: each loses that node and gains the next heaviest;
 *       when a node joins, it takes about 1/n of all replicas and nothing else moves.</li>
 * </ul>
 *
 * <p>Pass the live nodes of one region; a node is placed on whether or not it is {@code ready} (it becomes ready
 * by loading what is placed on it). Node ids are unique: of two records with one id, the latest heartbeat wins.
 * Immutable and thread-safe; build a new table when the set of live nodes changes.
 */
public final class PlacementTable {

    private final NodeRecord[] nodes;
    private final long[] nodeHashes;

    private PlacementTable(NodeRecord[] nodes) {
        this.nodes = nodes;
        this.nodeHashes = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            nodeHashes[i] = StableHash.of(nodes[i].nodeId());
        }
    }

    /** A table over these nodes (taken as live). */
    public static PlacementTable of(Collection<NodeRecord> liveNodes) {
        Map<String, NodeRecord> byId = new TreeMap<>();
        for (NodeRecord n : liveNodes) {
            if (n.nodeId() == null || n.nodeId().isEmpty()) {
                throw new IllegalArgumentException("node record without a nodeId: " + n);
            }
            byId.merge(n.nodeId(), n, PlacementTable::latest);
        }
        return new PlacementTable(byId.values().toArray(NodeRecord[]::new));
    }

    /** A table over the nodes whose heartbeat has not expired at {@code now} ({@code expiresAt} after it). */
    public static PlacementTable ofLive(Collection<NodeRecord> nodes, Instant now) {
        List<NodeRecord> live = new ArrayList<>();
        for (NodeRecord n : nodes) {
            if (n.expiresAt() == null || n.expiresAt().isAfter(now)) {
                live.add(n);
            }
        }
        return of(live);
    }

    private static NodeRecord latest(NodeRecord a, NodeRecord b) {
        if (a.heartbeatAt() == null) {
            return b;
        }
        if (b.heartbeatAt() == null) {
            return a;
        }
        return b.heartbeatAt().isAfter(a.heartbeatAt()) ? b : a;
    }

    /** The nodes of the table, ordered by node id. */
    public List<NodeRecord> nodes() {
        return List.of(nodes);
    }

    /** The node with this id, if live. */
    public Optional<NodeRecord> node(String nodeId) {
        return Arrays.stream(nodes).filter(n -> n.nodeId().equals(nodeId)).findFirst();
    }

    /**
     * The nodes holding the replicas of a shard, best first: {@code min(replicas, nodes)} distinct nodes; empty
     * when no node is live.
     */
    public List<NodeRecord> replicasFor(String tenant, String collection, int shard, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas is " + replicas + "; it must be at least 1");
        }
        int want = Math.min(replicas, nodes.length);
        if (want == 0) {
            return List.of();
        }
        long key = shardKeyHash(tenant, collection, shard);
        Integer[] order = new Integer[nodes.length];
        long[] weights = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            order[i] = i;
            weights[i] = weight(key, nodeHashes[i]);
        }
        // nodes are sorted by id, so a stable sort breaks weight ties by node id
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> weights[i]).reversed()
                .thenComparing(i -> i, Comparator.naturalOrder()));
        List<NodeRecord> out = new ArrayList<>(want);
        for (int r = 0; r < want; r++) {
            out.add(nodes[order[r]]);
        }
        return List.copyOf(out);
    }

    /** True when {@code nodeId} is among {@link #replicasFor} of the shard. */
    public boolean isPlacedOn(String nodeId, String tenant, String collection, int shard, int replicas) {
        for (NodeRecord n : replicasFor(tenant, collection, shard, replicas)) {
            if (n.nodeId().equals(nodeId)) {
                return true;
            }
        }
        return false;
    }

    /** The shards of a collection ({@code 0..shards-1}) that have a replica on {@code nodeId}, ascending. */
    public int[] shardsPlacedOn(String nodeId, String tenant, String collection, int shards, int replicas) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            if (isPlacedOn(nodeId, tenant, collection, s, replicas)) {
                out.add(s);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of live nodes. */
    public int size() {
        return nodes.length;
    }

    static long shardKeyHash(String tenant, String collection, int shard) {
        return StableHash.of(tenant, collection, Integer.toString(shard));
    }

    /** Unsigned weight of a node for a shard key, mapped so that signed order equals unsigned order. */
    static long weight(long shardKey, long nodeHash) {
        return fmix64(shardKey ^ nodeHash) ^ Long.MIN_VALUE;
    }

    /** MurmurHash3's 64-bit finaliser: a bijective avalanche mix. Never to change (placement depends on it). */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
