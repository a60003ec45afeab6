/** Strata ingest Lambda. */
package dev.strata.ingest;
