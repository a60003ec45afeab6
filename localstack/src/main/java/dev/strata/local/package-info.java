/** Strata local emulation, benchmarks and end-to-end tests. */
package dev.strata.local;
