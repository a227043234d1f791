package com.example.lattice.dryrun;

import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** A route distributor that learns nothing and logs the intent it gets. Select with {@code routing: dryrun}. */
@Component(property = {"lattice.plugin.kind=routing", "lattice.plugin.name=dryrun"})
public final class DryRunRouting implements RouteDistributor {
    private volatile String summary = "not started";

    @Override
    public void start(RoutingContext context) {
        summary = "started on " + context.localNodeName();
        DryRunLog.info("routing start on {0}", context.localNodeName());
    }

    @Override
    public void update(RoutingIntent intent) {
        summary = intent.nodes().size() + " nodes, advertising " + intent.advertised();
        DryRunLog.info("routing update: {0}", summary);
    }

    @Override
    public RoutingStatus status() {
        return new RoutingStatus(true, "dry run: " + summary, List.of());
    }

    @Override
    public void stop() {
        summary = "stopped";
        DryRunLog.info("routing stop");
    }
}
