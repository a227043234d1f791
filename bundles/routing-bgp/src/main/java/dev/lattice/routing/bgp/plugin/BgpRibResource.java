package dev.lattice.routing.bgp.plugin;

import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.telemetry.AdminResource;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /plugins/bgp/rib[?peer=ADDR]}: the Loc-RIB, or one peer's Adj-RIB-In. */
@Component(service = AdminResource.class)
public final class BgpRibResource implements AdminResource {
    private final RouteDistributor bgp;

    @Activate
    public BgpRibResource(@Reference(target = "(lattice.plugin.name=bgp)") RouteDistributor bgp) {
        this.bgp = bgp;
    }

    @Override
    public String path() {
        return "bgp/rib";
    }

    @Override
    public String json(Map<String, String> query) {
        return BgpAdminResources.rib(BgpAdminResources.bgp(bgp), query);
    }
}
