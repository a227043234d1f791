package dev.lattice.routing.bgp.plugin;

import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.telemetry.AdminResource;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /plugins/bgp/neighbors}: one JSON object per peer (session state, prefixes, updates). */
@Component(service = AdminResource.class)
public final class BgpNeighborsResource implements AdminResource {
    private final RouteDistributor bgp;

    @Activate
    public BgpNeighborsResource(@Reference(target = "(lattice.plugin.name=bgp)") RouteDistributor bgp) {
        this.bgp = bgp;
    }

    @Override
    public String path() {
        return "bgp/neighbors";
    }

    @Override
    public String json(Map<String, String> query) {
        return BgpAdminResources.bgp(bgp).neighborsJson();
    }
}
