package dev.strata.catalog;

/** Lifecycle of an ingest batch. */
public enum BatchStatus { PENDING, APPLIED, REJECTED }
