package dev.lattice.core.internal.selection;

import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.PodNetworkSelection;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricsSource;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Selects the {@link PodNetworkDatapath}: {@code podNetwork} in lattice.yaml. Retiring a pod
 * datapath does not tear its node setup down: pods it attached keep running on it, and their
 * DEL still reaches it by name. Its node cleanup belongs to the CNI server once its last
 * attachment is gone.
 */
@Component(service = {PodNetworkSelection.class, PluginSelection.class, HealthIndicator.class, MetricsSource.class},
        configurationPid = SelectionConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class PodNetworkSelector extends SelectorComponent<PodNetworkDatapath> implements PodNetworkSelection {
    private NodeNetwork node;

    public PodNetworkSelector() {
        super(PluginKind.POD_NETWORK);
    }

    @Reference(service = PodNetworkDatapath.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(lattice.plugin.kind=pod-network)")
    void addProvider(PodNetworkDatapath plugin, Map<String, Object> props) {
        providerAdded(plugin, props);
    }

    void removeProvider(PodNetworkDatapath plugin) {
        providerRemoved(plugin);
    }

    @Override
    protected void bringUp(PodNetworkDatapath plugin) {
        if (node != null) {
            plugin.prepareNode(node);
        }
    }

    @Override
    protected void retire(PodNetworkDatapath plugin) {
        // Deliberately nothing: existing pods still use it (see the class comment).
    }

    @Override
    public void prepare(NodeNetwork nodeNetwork) {
        selector.locked(() -> {
            node = nodeNetwork;
            selector.withActive(p -> {
                p.prepareNode(nodeNetwork);
                return null;
            });
        });
    }

    @Override
    public Optional<Named<PodNetworkDatapath>> active() {
        return selector.activeProvider().map(p -> new Named<>(p.name(), p.instance()));
    }

    @Override
    public Optional<PodNetworkDatapath> byName(String name) {
        return selector.byName(name);
    }
}
