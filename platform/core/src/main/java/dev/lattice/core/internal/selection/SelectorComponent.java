package dev.lattice.core.internal.selection;

import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.SelectionStatus;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricsSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

/**
 * What the four selector components share: configuration, lifecycle, health and metrics. Each
 * subclass adds the dynamic reference to its plugin type and its desired-state entry point.
 */
abstract class SelectorComponent<T> implements PluginSelection, HealthIndicator, MetricsSource {
    protected final PluginSelector<T> selector;
    private volatile BundleContext context;

    SelectorComponent(PluginKind kind) {
        this.selector = new PluginSelector<>(kind, new PluginLifecycle<T>() {
            @Override
            public void bringUp(T plugin) throws Exception {
                SelectorComponent.this.bringUp(plugin);
            }

            @Override
            public void retire(T plugin) throws Exception {
                SelectorComponent.this.retire(plugin);
            }
        }, Clock.systemUTC());
    }

    /** Makes {@code plugin} serve the current desired state (runs under the selector's lock). */
    protected abstract void bringUp(T plugin) throws Exception;

    /** Removes what {@code plugin} programmed after another took over. */
    protected abstract void retire(T plugin) throws Exception;

    @Activate
    void activate(BundleContext ctx, Map<String, Object> props) {
        context = ctx;
        selector.configure(SelectionConfig.names(props, kind()));
    }

    @Modified
    void modified(Map<String, Object> props) {
        selector.configure(SelectionConfig.names(props, kind()));
    }

    @Deactivate
    void deactivate() {
        selector.close();
    }

    protected void providerAdded(T plugin, Map<String, Object> props) {
        selector.added(plugin, props);
    }

    protected void providerRemoved(T plugin) {
        selector.removed(plugin, FrameworkState.stopping(context));
    }

    @Override
    public PluginKind kind() {
        return selector.kind();
    }

    @Override
    public SelectionStatus status() {
        return selector.status();
    }

    @Override
    public String component() {
        return "selection." + kind().id();
    }

    @Override
    public Health health() {
        return selector.health();
    }

    @Override
    public List<MetricFamily> collect() {
        return selector.metrics();
    }
}
