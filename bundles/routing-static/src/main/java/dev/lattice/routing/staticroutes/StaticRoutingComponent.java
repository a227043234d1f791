package dev.lattice.routing.staticroutes;

import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.routing.overlay.OverlaySettings;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code static} routing plugin as an OSGi service. Settings, PID
 * {@code dev.lattice.plugin.static} ({@code plugins.static:} in lattice.yaml): {@code overlay}
 * (crossSubnet | full | none), {@code vxlanId} (4096), {@code vxlanPort} (4789),
 * {@code vxlanDevice} (lattice-vxlan), {@code vxlanDevice6} (lattice-vxlan6).
 */
@Component(service = {RouteDistributor.class, HealthIndicator.class},
        property = {"lattice.plugin.kind=routing", "lattice.plugin.name=static"},
        configurationPid = "dev.lattice.plugin.static")
public final class StaticRoutingComponent implements RouteDistributor, HealthIndicator {
    private final StaticRouting routing;
    /** Set when the configuration is invalid: the plugin registers but refuses to start, saying why. */
    private final String configError;

    @Activate
    public StaticRoutingComponent(@Reference NetworkNamespaces namespaces, Map<String, Object> config) {
        OverlaySettings settings;
        String error = null;
        try {
            settings = OverlaySettings.parse(config);
        } catch (IllegalArgumentException e) {
            error = "invalid static routing configuration (plugins.static): " + e.getMessage();
            System.getLogger(StaticRoutingComponent.class.getName()).log(System.Logger.Level.ERROR, error);
            settings = OverlaySettings.DEFAULTS;
        }
        configError = error;
        routing = new StaticRouting(namespaces.host(), settings);
    }

    @Override
    public void start(RoutingContext context) {
        if (configError != null) {
            throw new DataplaneException(configError, null, false);
        }
        routing.start(context);
    }

    @Override
    public void update(RoutingIntent intent) {
        routing.update(intent);
    }

    @Override
    public RoutingStatus status() {
        return routing.status();
    }

    @Override
    public void stop() {
        routing.stop();
    }

    @Override
    public String component() {
        return "routing.static";
    }

    @Override
    public Health health() {
        if (configError != null) {
            return Health.down(configError);
        }
        RoutingStatus s = routing.status();
        return s.healthy() ? Health.up(s.summary()) : Health.degraded(s.summary());
    }
}
