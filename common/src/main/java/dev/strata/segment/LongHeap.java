package dev.strata.segment;

/** A growable binary min-heap of longs, reused across queries by one {@link SegmentSearcher}. Not thread-safe. */
final class LongHeap {
    private long[] heap;
    private int size;

    LongHeap(int capacity) {
        heap = new long[Math.max(16, capacity)];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    long top() {
        return heap[0];
    }

    void push(long v) {
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        long[] h = heap;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long p = h[parent];
            if (p <= v) {
                break;
            }
            h[i] = p;
            i = parent;
        }
        h[i] = v;
    }

    long pop() {
        long[] h = heap;
        long result = h[0];
        long last = h[--size];
        int n = size;
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && h[child + 1] < h[child]) {
                child++;
            }
            if (h[child] >= last) {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        if (n > 0) {
            h[i] = last;
        }
        return result;
    }

    /** Pushes {@code v}, then drops the smallest element if the heap holds more than {@code max}. */
    void pushBounded(long v, int max) {
        if (size < max) {
            push(v);
        } else if (v > heap[0]) {
            heap[0] = v;
            siftDownRoot();
        }
    }

    private void siftDownRoot() {
        long[] h = heap;
        long v = h[0];
        int n = size;
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && h[child + 1] < h[child]) {
                child++;
            }
            if (h[child] >= v) {
                break;
            }
            h[i] = h[child];
            i = child;
        }
        h[i] = v;
    }

    /** Order-preserving long key of (score, row): larger score → larger key; ties broken by row. */
    static long key(float score, int row) {
        int bits = Float.floatToRawIntBits(score);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) sortable << 32) | (row & 0xffffffffL);
    }

    static int row(long key) {
        return (int) key;
    }

    static float score(long key) {
        int s = (int) (key >> 32);
        return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
    }
}
