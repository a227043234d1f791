package dev.lattice.core.internal.fib;

import dev.lattice.core.selection.RoutingSelection;
import dev.lattice.core.selection.SelectionStatus;
import dev.lattice.spi.kernel.NetlinkEvent;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.kernel.RouteEntry;
import dev.lattice.spi.kernel.Subscription;
import dev.lattice.spi.plugin.PluginProperties;
import dev.lattice.spi.routing.Route;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricFamily.Sample;
import dev.lattice.spi.telemetry.MetricsSource;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The only writer of routes: keeps the node's routing table equal to the routes the distributor
 * in force reports, with Lattice's own route protocol (PID {@value #PID}: {@code protocol},
 * default {@value RouteEntry#PROTO_LATTICE}; {@code table}, default main; {@code syncSeconds},
 * default 10; {@code enabled}, default true). A pass runs when the learned routes change, when a route of the table changes
 * (a route deleted by hand is back within a second; a changed underlay route re-resolves next hops
 * in other subnets, see {@link NextHopResolver}) and every {@code syncSeconds}.
 *
 * <p>While no distributor is in force yet (the agent is starting, or the one in force went
 * away) it changes nothing, so that a restart does not withdraw routes; {@code routing: none}
 * removes them.
 */
@Component(service = {HealthIndicator.class, MetricsSource.class}, configurationPid = FibProgrammer.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class FibProgrammer implements HealthIndicator, MetricsSource {
    static final String PID = "dev.lattice.fib";
    private static final Logger LOG = System.getLogger(FibProgrammer.class.getName());

    private final NetworkNamespaces namespaces;
    private final RoutingSelection routing;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong installed = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private ScheduledExecutorService loop;
    private FibReconciler reconciler;
    private AutoCloseable routingListener;
    private Subscription kernelEvents;
    private volatile Health health = Health.degraded("not synced yet");
    private volatile int routes;

    @Activate
    public FibProgrammer(@Reference NetworkNamespaces namespaces, @Reference RoutingSelection routing,
                         Map<String, Object> config, org.osgi.framework.BundleContext context) {
        this.namespaces = namespaces;
        this.routing = routing;
        Object enabled = config.get("enabled");
        if (enabled == null) {
            enabled = context.getProperty("lattice.fib.enabled");
        }
        if (enabled != null && !Boolean.parseBoolean(enabled.toString().trim())) {
            health = Health.up("disabled (fib.enabled=false): routes are not programmed");
            LOG.log(Level.WARNING, "FIB programmer disabled by fib.enabled=false: learned routes are not installed");
            return;
        }
        int protocol = intSetting(config, "protocol", RouteEntry.PROTO_LATTICE);
        int table = intSetting(config, "table", RouteEntry.TABLE_MAIN);
        int syncSeconds = Math.max(1, intSetting(config, "syncSeconds", 10));
        reconciler = new FibReconciler(namespaces.host().rtnetlink(), protocol, table);
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lattice-fib");
            t.setDaemon(true);
            return t;
        });
        routingListener = routing.onChange(this::trigger);
        try {
            kernelEvents = namespaces.host().subscribe(EnumSet.of(NetlinkEvent.Kind.ROUTE), e -> {
                if (e instanceof NetlinkEvent.RouteEvent re && (re.route().protocol() == protocol ? re.removed()
                        : re.route().type() == RouteEntry.TYPE_UNICAST)) {
                    trigger(); // one of our routes was removed, or one our next hops may resolve through changed
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "FIB: no route event subscription ({0}); relying on the {1} s resync",
                    e.getMessage(), syncSeconds);
        }
        loop.scheduleWithFixedDelay(this::trigger, 0, syncSeconds, TimeUnit.SECONDS);
        LOG.log(Level.INFO, "FIB programmer: protocol {0}, table {1}, resync every {2} s", protocol, table, syncSeconds);
    }

    @Deactivate
    void deactivate() throws Exception {
        if (loop == null) {
            return; // disabled
        }
        routingListener.close();
        if (kernelEvents != null) {
            kernelEvents.close();
        }
        loop.shutdownNow();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void trigger() {
        // Coalesce: at most one pass waits; rate-limited to one per 200 ms by the delay.
        if (pending.compareAndSet(false, true)) {
            loop.schedule(this::pass, 200, TimeUnit.MILLISECONDS);
        }
    }

    private void pass() {
        pending.set(false);
        SelectionStatus s = routing.status();
        if (s.active().isEmpty()) {
            health = Health.degraded("no route distributor in force (" + (s.problem().isEmpty() ? "starting"
                    : s.problem()) + "); routes left as they are");
            return;
        }
        List<Route> desired = PluginProperties.NONE.equals(s.active()) ? List.of() : routing.learnedRoutes();
        try {
            FibReconciler.Result r = reconciler.reconcile(desired);
            passes.incrementAndGet();
            installed.addAndGet(r.installed());
            removed.addAndGet(r.removed());
            routes = desired.size() - r.conflicts().size();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("routes", Integer.toString(routes));
            details.put("distributor", s.active());
            details.put("lastSync", Instant.now().toString());
            if (r.conflicts().isEmpty()) {
                health = new Health(Health.Status.UP, routes + " routes from '" + s.active() + "'", details);
            } else {
                health = new Health(Health.Status.DEGRADED, String.join("; ", r.conflicts()), details);
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            health = Health.degraded("programming routes failed: " + e.getMessage());
            LOG.log(Level.ERROR, "FIB: programming routes failed; retrying", e);
            loop.schedule(this::trigger, 2, TimeUnit.SECONDS);
        }
    }

    private static int intSetting(Map<String, Object> config, String key, int fallback) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.ERROR, "fib.{0} ''{1}'' is not a number; using {2}", key, v, fallback);
            return fallback;
        }
    }

    @Override
    public String component() {
        return "fib";
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public List<MetricFamily> collect() {
        return List.of(
                new MetricFamily("lattice_fib_routes", "Routes the FIB programmer keeps installed.",
                        MetricFamily.Type.GAUGE, List.of(Sample.of(Map.of(), routes))),
                new MetricFamily("lattice_fib_syncs_total", "Reconcile passes of the routing table.",
                        MetricFamily.Type.COUNTER, List.of(Sample.of(Map.of(), passes.get()))),
                new MetricFamily("lattice_fib_sync_errors_total", "Reconcile passes that failed.",
                        MetricFamily.Type.COUNTER, List.of(Sample.of(Map.of(), failures.get()))),
                new MetricFamily("lattice_fib_route_changes_total", "Routes installed or removed.",
                        MetricFamily.Type.COUNTER, List.of(
                                Sample.of(Map.of("op", "install"), installed.get()),
                                Sample.of(Map.of("op", "remove"), removed.get()))));
    }
}
