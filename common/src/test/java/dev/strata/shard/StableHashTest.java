package dev.strata.shard;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StableHashTest {

    private static long xxh64(String s) {
        return StableHash.xxh64(s.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void xxh64MatchesTheReferenceImplementation() {
        // GIVEN inputs covering the empty, <4, <8, <32 and >=32-byte paths and multi-byte UTF-8
        // THEN the hashes equal libxxhash 0.8.1's XXH64(data, len, 0), taken on this machine
        assertThat(xxh64("")).isEqualTo(0xef46db3751d8e999L);
        assertThat(xxh64("a")).isEqualTo(0xd24ec4f1a98c6e5bL);
        assertThat(xxh64("abc")).isEqualTo(0x44bc2cf5ad770999L);
        assertThat(xxh64("doc-1")).isEqualTo(0x037fe13bd80c56aaL);
        assertThat(xxh64("doc-42")).isEqualTo(0x300b4fedba0fdfe2L);
        assertThat(xxh64("Nobody inspects the spammish repetition")).isEqualTo(0xfbcea83c8a378bf1L);
        assertThat(xxh64("passage/ünïcødé/€")).isEqualTo(0x9f67101ebefe63aaL);
        assertThat(xxh64("x".repeat(100))).isEqualTo(0x92f0de5a88a3c094L);
        assertThat(StableHash.of("abc")).isEqualTo(0x44bc2cf5ad770999L);
    }

    @Test
    void jumpHashGoldenValues() {
        // GIVEN fixed keys THEN their buckets never change (stored data depends on them)
        assertThat(StableHash.jump(0L, 1)).isZero();
        assertThat(StableHash.jump(0xef46db3751d8e999L, 16)).isEqualTo(JUMP_GOLDEN[0]);
        assertThat(StableHash.jump(0x44bc2cf5ad770999L, 16)).isEqualTo(JUMP_GOLDEN[1]);
        assertThat(StableHash.jump(0xfbcea83c8a378bf1L, 256)).isEqualTo(JUMP_GOLDEN[2]);
        assertThat(StableHash.jump(1L, 7)).isEqualTo(JUMP_GOLDEN[3]);
    }

    // Buckets cross-checked against an independent transcription of Lamping & Veach's reference code (Python,
    // unsigned 64-bit); a change here means every hash-sharded collection would be re-routed.
    private static final int[] JUMP_GOLDEN = {7, 14, 95, 6};

    @Test
    void growingBucketsMovesOnlyAboutOneInNPlusOneKeysAndOnlyToTheNewBucket() {
        // GIVEN 100k keys over 10 buckets
        int keys = 100_000;
        int moved = 0;
        for (int i = 0; i < keys; i++) {
            long key = StableHash.of("id-" + i);
            int before = StableHash.jump(key, 10);
            // WHEN an eleventh bucket appears
            int after = StableHash.jump(key, 11);
            if (before != after) {
                moved++;
                // THEN a key that moves goes to the new bucket
                assertThat(after).isEqualTo(10);
            }
        }
        // AND about 1/11 of the keys moved
        assertThat(moved / (double) keys).isBetween(1 / 11.0 - 0.01, 1 / 11.0 + 0.01);
    }

    @Test
    void partsAreSeparatedSoConcatenationsDiffer() {
        assertThat(StableHash.of("ab", "c")).isNotEqualTo(StableHash.of("a", "bc"));
        assertThat(StableHash.of("a", "b")).isEqualTo(StableHash.of("a\u001fb"));
    }

    @Test
    void jumpRejectsNoBuckets() {
        assertThatThrownBy(() -> StableHash.jump(1, 0)).hasMessage("buckets is 0; it must be at least 1");
    }
}
