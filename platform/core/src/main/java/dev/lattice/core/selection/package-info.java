/**
 * Plugin selection as other parts of the agent see it: which plugin of each kind is in force,
 * and the entry points through which controllers hand it desired state. Selection follows the
 * configuration and the bundles present, and swaps plugins make-before-break.
 */
package dev.lattice.core.selection;
