package dev.lattice.cluster.internal;

import dev.lattice.cluster.api.ClusterListener;
import dev.lattice.cluster.api.ClusterSnapshot;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.cluster.api.NodeIdentity;
import dev.lattice.cluster.api.ResourceKind;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricsSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The cluster bundle's one component: configured from PID {@code dev.lattice.kubernetes}
 * (optional - without a cluster the agent still starts, and health says why there is none),
 * it runs the {@link WatchLayer} and offers the {@link ClusterState}, the {@code cluster}
 * {@link HealthIndicator} and the watch layer's {@link MetricsSource}. {@link ClusterListener}
 * services are subscribed as they come and go (whiteboard).
 *
 * <p>Usable without OSGi: construct it, call {@link #activate(Map)}, later {@link #deactivate()}.
 */
@Component(configurationPid = ClusterConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {ClusterState.class, HealthIndicator.class, MetricsSource.class},
        property = "lattice.component=cluster")
public final class ClusterStateComponent implements ClusterState, HealthIndicator, MetricsSource {
    private static final System.Logger LOG = System.getLogger(ClusterStateComponent.class.getName());
    static final String NOT_CONFIGURED =
            "not configured: set kubernetes.apiServer or kubernetes.kubeconfig in lattice.yaml";

    private final Map<String, String> env;
    private final ClusterStore store;
    private final Map<ClusterListener, Subscription> whiteboard = new ConcurrentHashMap<>();
    private volatile ClusterConfig config;
    private volatile NodeIdentity identity;
    private volatile WatchLayer watch;
    private volatile String configError = "";

    public ClusterStateComponent() {
        this(System.getenv());
    }

    /** For tests: a given environment instead of the process's. */
    public ClusterStateComponent(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.store = new ClusterStore(null, ClusterConfig.DEFAULT_SNAPSHOT_INTERVAL_MILLIS);
    }

    @Activate
    public synchronized void activate(Map<String, Object> properties) {
        apply(properties);
    }

    @Modified
    public synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    @Deactivate
    public synchronized void deactivate() {
        WatchLayer w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        store.close();
    }

    private void apply(Map<String, Object> properties) {
        ClusterConfig next;
        try {
            next = ClusterConfig.from(properties);
            configError = "";
        } catch (IllegalArgumentException e) {
            configError = "invalid kubernetes configuration: " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, configError);
            next = ClusterConfig.from(Map.of());
        }
        ClusterConfig previous = config;
        if (next.equals(previous) && watch != null) {
            return;
        }
        identity = NodeIdentities.resolve(next.nodeName(), env);
        store.configure(identity.nodeName(), next.snapshotIntervalMillis());
        WatchLayer old = watch;
        watch = null;
        if (old != null) {
            old.close();
        }
        if (previous != null && !next.sameCluster(previous)) {
            store.clear();
        }
        config = next;
        if (next.configured(env)) {
            WatchLayer w = new WatchLayer(next, store, env, ClusterStateComponent.class.getClassLoader());
            watch = w;
            w.start();
            LOG.log(System.Logger.Level.INFO, "cluster watch starting for node {0} ({1})", identity.nodeName(),
                    identity.source());
        } else {
            LOG.log(System.Logger.Level.INFO, "no Kubernetes cluster configured; node {0}", identity.nodeName());
        }
    }

    @Reference(service = ClusterListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addListener(ClusterListener listener) {
        whiteboard.put(listener, store.subscribe(listener));
    }

    void removeListener(ClusterListener listener) {
        Subscription s = whiteboard.remove(listener);
        if (s != null) {
            s.close();
        }
    }

    /** Watch events applied to the store so far (benchmarks). */
    long appliedEvents() {
        return store.appliedEvents();
    }

    /** Snapshots published so far (benchmarks). */
    long publishedSnapshots() {
        return store.publishedSnapshots();
    }

    // ---- ClusterState ------------------------------------------------------------------------

    @Override
    public ClusterSnapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public Subscription subscribe(ClusterListener listener) {
        return store.subscribe(listener);
    }

    @Override
    public NodeIdentity nodeIdentity() {
        NodeIdentity id = identity;
        return id != null ? id : NodeIdentities.resolve(null, env);
    }

    @Override
    public Status status() {
        WatchLayer w = watch;
        if (w == null) {
            return new Status(Phase.NOT_CONFIGURED, configError.isEmpty() ? NOT_CONFIGURED : configError, "", 0);
        }
        return w.status();
    }

    @Override
    public ClusterSnapshot awaitSynced(Duration timeout) throws InterruptedException {
        return store.awaitSynced(timeout.toMillis());
    }

    // ---- HealthIndicator --------------------------------------------------------------------

    @Override
    public String component() {
        return "cluster";
    }

    @Override
    public Health health() {
        Status s = status();
        ClusterSnapshot snap = store.snapshot();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("phase", s.phase().name());
        details.put("node", nodeIdentity().nodeName());
        details.put("nodeSource", nodeIdentity().source().name());
        if (!s.apiServer().isEmpty()) {
            details.put("apiServer", s.apiServer());
        }
        details.put("snapshotVersion", Long.toString(snap.version()));
        details.put("objects", Integer.toString(snap.size()));
        details.put("relists", Long.toString(s.relists()));
        Health.Status hs = switch (s.phase()) {
            case SYNCED -> Health.Status.UP;
            case DEGRADED -> Health.Status.DEGRADED;
            case NOT_CONFIGURED, CONNECTING, STOPPED -> Health.Status.DOWN;
        };
        String msg = s.phase() == Phase.SYNCED
                ? "synced with " + s.apiServer() + ": " + snap.nodes().size() + " nodes, " + snap.pods().size()
                + " pods, " + snap.services().size() + " services"
                : s.message();
        return new Health(hs, msg, details);
    }

    // ---- MetricsSource ----------------------------------------------------------------------

    @Override
    public List<MetricFamily> collect() {
        ClusterSnapshot snap = store.snapshot();
        WatchLayer w = watch;
        List<MetricFamily.Sample> objects = new ArrayList<>();
        List<MetricFamily.Sample> events = new ArrayList<>();
        List<MetricFamily.Sample> skipped = new ArrayList<>();
        for (ResourceKind k : ResourceKind.values()) {
            Map<String, String> l = Map.of("kind", k.name().toLowerCase(Locale.ROOT));
            objects.add(MetricFamily.Sample.of(l, snap.objects(k).size()));
            events.add(MetricFamily.Sample.of(l, w == null ? 0 : w.events(k)));
            skipped.add(MetricFamily.Sample.of(l, w == null ? 0 : w.skipped(k)));
        }
        Status s = status();
        return List.of(
                new MetricFamily("lattice_cluster_objects", "Objects in the current cluster snapshot",
                        MetricFamily.Type.GAUGE, objects),
                new MetricFamily("lattice_cluster_events_total", "Watch events received, by kind",
                        MetricFamily.Type.COUNTER, events),
                new MetricFamily("lattice_cluster_skipped_objects_total",
                        "Objects skipped because they could not be understood", MetricFamily.Type.COUNTER, skipped),
                new MetricFamily("lattice_cluster_synced", "1 when the snapshot is synced with the API server",
                        MetricFamily.Type.GAUGE, List.of(MetricFamily.Sample.of(Map.of(),
                        s.phase() == Phase.SYNCED ? 1 : 0))),
                new MetricFamily("lattice_cluster_snapshot_version", "Version of the current snapshot",
                        MetricFamily.Type.GAUGE, List.of(MetricFamily.Sample.of(Map.of(), snap.version()))),
                new MetricFamily("lattice_cluster_snapshots_published_total", "Snapshots published",
                        MetricFamily.Type.COUNTER, List.of(MetricFamily.Sample.of(Map.of(),
                        store.publishedSnapshots()))),
                new MetricFamily("lattice_cluster_relists_total", "Kinds listed again after their first sync",
                        MetricFamily.Type.COUNTER, List.of(MetricFamily.Sample.of(Map.of(), s.relists()))),
                new MetricFamily("lattice_cluster_reconnects_total", "Failed connection attempts followed by a retry",
                        MetricFamily.Type.COUNTER, List.of(MetricFamily.Sample.of(Map.of(),
                        w == null ? 0 : w.reconnects()))));
    }
}
