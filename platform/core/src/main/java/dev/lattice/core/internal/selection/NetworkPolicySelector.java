package dev.lattice.core.internal.selection;

import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.NetworkPolicySelection;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.policy.PolicyDataplane;
import dev.lattice.spi.policy.PolicyState;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricsSource;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Selects the {@link PolicyDataplane}: {@code networkPolicy} in lattice.yaml. */
@Component(service = {NetworkPolicySelection.class, PluginSelection.class, HealthIndicator.class, MetricsSource.class},
        configurationPid = SelectionConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class NetworkPolicySelector extends SelectorComponent<PolicyDataplane> implements NetworkPolicySelection {
    private PolicyState desired = PolicyState.EMPTY;

    public NetworkPolicySelector() {
        super(PluginKind.NETWORK_POLICY);
    }

    @Reference(service = PolicyDataplane.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(lattice.plugin.kind=network-policy)")
    void addProvider(PolicyDataplane plugin, Map<String, Object> props) {
        providerAdded(plugin, props);
    }

    void removeProvider(PolicyDataplane plugin) {
        providerRemoved(plugin);
    }

    @Override
    protected void bringUp(PolicyDataplane plugin) {
        plugin.sync(desired);
    }

    @Override
    protected void retire(PolicyDataplane plugin) {
        plugin.cleanup();
    }

    @Override
    public void sync(PolicyState state) {
        selector.locked(() -> {
            desired = state;
            selector.withActive(p -> {
                p.sync(state);
                return null;
            });
        });
    }
}
