package dev.strata.shard;

import dev.strata.api.Sharding;

/**
 * {@code hash} sharding: {@code shard = jump(xxh64(utf8(id)), shards)} ({@link StableHash}). The vector plays no
 * part, so every query visits every shard. The function must never change: stored rows depend on it.
 * Immutable and thread-safe.
 */
public final class HashSharding implements ShardingFunction {

    private final int shards;
    private final int[] all;

    public HashSharding(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards is " + shards + "; it must be at least 1");
        }
        this.shards = shards;
        this.all = new int[shards];
        for (int i = 0; i < shards; i++) {
            all[i] = i;
        }
    }

    /** The shard of an id under hash sharding with {@code shards} shards. */
    public static int shardOfId(String id, int shards) {
        return StableHash.jump(StableHash.of(id), shards);
    }

    @Override
    public int shardOf(String id, float[] vector) {
        return shardOfId(id, shards);
    }

    @Override
    public int[] shardsFor(float[] query, int nprobe) {
        return all.clone();
    }

    @Override
    public int[] shardsForDelete(String id) {
        return new int[] {shardOfId(id, shards)};
    }

    @Override
    public int shardCount() {
        return shards;
    }

    @Override
    public Sharding kind() {
        return Sharding.HASH;
    }
}
