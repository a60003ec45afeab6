package dev.strata.segment;

/** A row of a segment and its similarity to a query (higher is nearer). */
public record ScoredRow(int row, float score) {}
