/** Strata shard service (ECS). */
package dev.strata.shard.service;
