/**
 * Placement of shard replicas on shard-service nodes, computed identically by every node and router from the
 * catalog's live NODE heartbeats ({@link dev.strata.placement.PlacementTable}), so no coordinator exists.
 * Plain Java: no AWS, Micronaut or Lambda types.
 */
package dev.strata.placement;
