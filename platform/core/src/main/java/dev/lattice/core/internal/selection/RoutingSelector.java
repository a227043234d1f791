package dev.lattice.core.internal.selection;

import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.RoutingSelection;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricsSource;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Selects the {@link RouteDistributor}: {@code routing} in lattice.yaml. Each distributor gets
 * its own route sink; only the routes of the distributor in force are handed on, so during a
 * swap the new distributor's routes are ready before the old one's are dropped.
 */
@Component(service = {RoutingSelection.class, PluginSelection.class, HealthIndicator.class, MetricsSource.class},
        configurationPid = SelectionConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class RoutingSelector extends SelectorComponent<RouteDistributor> implements RoutingSelection {
    private RoutingIntent intent;
    private String localNodeName = "";
    private final Map<RouteDistributor, List<Route>> learned = new IdentityHashMap<>();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RoutingSelector() {
        super(PluginKind.ROUTING);
    }

    @Reference(service = RouteDistributor.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(lattice.plugin.kind=routing)")
    void addProvider(RouteDistributor plugin, Map<String, Object> props) {
        providerAdded(plugin, props);
    }

    void removeProvider(RouteDistributor plugin) {
        providerRemoved(plugin);
    }

    @Override
    protected void bringUp(RouteDistributor plugin) {
        String node = intent != null ? intent.localNode().name() : localNodeName;
        plugin.start(new RoutingContext(node, routes -> {
            synchronized (learned) {
                learned.put(plugin, List.copyOf(routes));
            }
            notifyListeners();
        }));
        if (intent != null) {
            try {
                plugin.update(intent);
            } catch (RuntimeException e) {
                plugin.stop();
                throw e;
            }
        }
    }

    @Override
    protected void retire(RouteDistributor plugin) {
        try {
            plugin.stop();
        } finally {
            synchronized (learned) {
                learned.remove(plugin);
            }
            notifyListeners(); // the new distributor is in force now
        }
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                System.getLogger(RoutingSelector.class.getName()).log(System.Logger.Level.WARNING,
                        "learned-routes listener failed", e);
            }
        }
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void update(RoutingIntent newIntent) {
        selector.locked(() -> {
            intent = newIntent;
            localNodeName = newIntent.localNode().name();
            selector.withActive(p -> {
                p.update(newIntent);
                return null;
            });
        });
    }

    @Override
    public List<Route> learnedRoutes() {
        return selector.activeProvider().map(p -> {
            synchronized (learned) {
                return learned.getOrDefault(p.instance(), List.<Route>of());
            }
        }).orElse(List.of());
    }
}
