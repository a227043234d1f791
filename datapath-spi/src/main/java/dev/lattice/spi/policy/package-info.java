/**
 * NetworkPolicy enforcement: the core compiles NetworkPolicies into, per selected local pod,
 * allowed peers as address sets plus ports; a {@link dev.lattice.spi.policy.PolicyDataplane}
 * enforces them.
 */
package dev.lattice.spi.policy;
