package dev.strata.api;

/**
 * Index parameters of a collection's segments.
 *
 * @param maxDegree        graph out-degree (jvector M); 8..128
 * @param constructionBeam beam width while building; 16..1024, at least {@code maxDegree}
 * @param pqSubspaces      codes the graph walk scores: 0 (default) = two-bit scalar codes of the rotated vector,
 *                         measured faster at equal recall; 1..dimension = product quantization with that many
 *                         subspaces (a divisor-free choice is fine: jvector handles uneven subspaces)
 * @param searchWidth      default candidate list size (ef) of a search; at least k at query time; 1..4096
 */
public record IndexParams(int maxDegree, int constructionBeam, int pqSubspaces, int searchWidth) {

    public static final IndexParams DEFAULTS = new IndexParams(32, 100, 0, 64);

    /** Fills zero fields (absent in JSON) with defaults. */
    public IndexParams withDefaults() {
        return new IndexParams(
                maxDegree == 0 ? DEFAULTS.maxDegree : maxDegree,
                constructionBeam == 0 ? DEFAULTS.constructionBeam : constructionBeam,
                pqSubspaces,
                searchWidth == 0 ? DEFAULTS.searchWidth : searchWidth);
    }

    /** Throws {@link StrataException.InvalidRequest} naming the first bad field. */
    public void validate(int dimension) {
        requireRange("index.maxDegree", maxDegree, 8, 128);
        requireRange("index.constructionBeam", constructionBeam, 16, 1024);
        if (constructionBeam < maxDegree) {
            throw new StrataException.InvalidRequest("index.constructionBeam is " + constructionBeam
                    + "; it must be at least index.maxDegree (" + maxDegree + ")");
        }
        requireRange("index.pqSubspaces", pqSubspaces, 0, dimension);
        requireRange("index.searchWidth", searchWidth, 1, Limits.MAX_SEARCH_WIDTH);
    }

    static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new StrataException.InvalidRequest(
                    field + " is " + value + "; it must be between " + min + " and " + max);
        }
    }
}
