/** Cache keys and the content fingerprints (model directory, item-id lists) they are built from. */
package dev.steeropt.cache.key;
