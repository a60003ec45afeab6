/**
 * Metadata filters of search requests: {@link dev.strata.filter.Filter#parse} turns the request's
 * {@code "filter"} JSON into an immutable tree of records, which the segment engine evaluates per row
 * ({@link dev.strata.filter.Filter#test}, {@link dev.strata.filter.Filter#matches}) or inspects to estimate
 * selectivity. Plain Java: no AWS, Micronaut or Lambda types.
 */
package dev.strata.filter;
