package dev.lattice.routing.staticroutes;

import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import dev.lattice.spi.routing.overlay.OverlayMode;
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

    @Activate
    public StaticRoutingComponent(@Reference NetworkNamespaces namespaces, Map<String, Object> config) {
        StaticRouting.Settings d = StaticRouting.Settings.DEFAULTS;
        StaticRouting.Settings settings = new StaticRouting.Settings(
                OverlayMode.parse(text(config, "overlay", "crossSubnet")),
                Integer.parseInt(text(config, "vxlanId", Integer.toString(d.vni()))),
                Integer.parseInt(text(config, "vxlanPort", Integer.toString(d.port()))),
                text(config, "vxlanDevice", d.device4()),
                text(config, "vxlanDevice6", d.device6()));
        routing = new StaticRouting(namespaces.host(), settings);
    }

    private static String text(Map<String, Object> config, String key, String fallback) {
        Object v = config.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    @Override
    public void start(RoutingContext context) {
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
        RoutingStatus s = routing.status();
        return s.healthy() ? Health.up(s.summary()) : Health.degraded(s.summary());
    }
}
