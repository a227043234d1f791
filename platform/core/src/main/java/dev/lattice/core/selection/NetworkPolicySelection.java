package dev.lattice.core.selection;

import dev.lattice.spi.policy.PolicyState;

/** Entry point of the policy controller: desired state goes to whichever dataplane is in force. */
public interface NetworkPolicySelection extends PluginSelection {
    /** Remembers {@code desired} and syncs the plugin in force, if any. */
    void sync(PolicyState desired);
}
