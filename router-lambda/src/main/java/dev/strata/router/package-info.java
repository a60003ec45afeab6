/** Strata router Lambda. */
package dev.strata.router;
