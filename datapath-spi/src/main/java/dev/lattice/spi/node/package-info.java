/** Backend-neutral views of cluster nodes and pods, as the core translates them for plugins. */
package dev.lattice.spi.node;
