/** Strata CDK app. */
package dev.strata.infra;
