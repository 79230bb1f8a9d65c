/**
 * The entry store: atomic directory-per-entry writes, checksum-verified reads, LRU eviction under a size cap, and
 * per-key locks so concurrent workers compute an entry once.
 */
package dev.steeropt.cache.store;
