/** Addresses, prefixes and protocols: the vocabulary every contract uses. */
package dev.lattice.spi.net;
