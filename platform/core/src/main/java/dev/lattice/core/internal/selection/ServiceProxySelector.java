package dev.lattice.core.internal.selection;

import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.ServiceProxySelection;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.service.ServiceDataplane;
import dev.lattice.spi.service.ServiceState;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricsSource;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Selects the {@link ServiceDataplane}: {@code serviceProxy} in lattice.yaml. */
@Component(service = {ServiceProxySelection.class, PluginSelection.class, HealthIndicator.class, MetricsSource.class},
        configurationPid = SelectionConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class ServiceProxySelector extends SelectorComponent<ServiceDataplane> implements ServiceProxySelection {
    private ServiceState desired = ServiceState.EMPTY;

    public ServiceProxySelector() {
        super(PluginKind.SERVICE_PROXY);
    }

    @Reference(service = ServiceDataplane.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(lattice.plugin.kind=service-proxy)")
    void addProvider(ServiceDataplane plugin, Map<String, Object> props) {
        providerAdded(plugin, props);
    }

    void removeProvider(ServiceDataplane plugin) {
        providerRemoved(plugin);
    }

    @Override
    protected void bringUp(ServiceDataplane plugin) {
        plugin.sync(desired);
    }

    @Override
    protected void retire(ServiceDataplane plugin) {
        plugin.cleanup();
    }

    @Override
    public void sync(ServiceState state) {
        selector.locked(() -> {
            desired = state;
            selector.withActive(p -> {
                p.sync(state);
                return null;
            });
        });
    }
}
