package dev.strata.embed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used cache of text → vector, for hot texts (repeated queries, re-ingested passages).
 * Vectors are returned as copies, so callers may change them. Thread-safe (one lock; the work under it is a
 * map lookup).
 */
public final class EmbeddingCache {

    private final int capacity;
    private final LinkedHashMap<String, float[]> entries;
    private long hits;
    private long misses;

    /** @param capacity texts kept; 0 disables the cache */
    public EmbeddingCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is " + capacity + "; it must be at least 0");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > EmbeddingCache.this.capacity;
            }
        };
    }

    /** The cached vector (a copy), or null. */
    public synchronized float[] get(String text) {
        float[] v = entries.get(text);
        if (v == null) {
            misses++;
            return null;
        }
        hits++;
        return v.clone();
    }

    public synchronized void put(String text, float[] vector) {
        if (capacity > 0) {
            entries.put(text, vector.clone());
        }
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return entries.size();
    }
}
