package dev.lattice.routing.bgp.plugin;

import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.speaker.BgpSpeaker;
import dev.lattice.routing.bgp.speaker.PeerSnapshot;
import dev.lattice.routing.bgp.speaker.SpeakerConfig;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.plugin.DataplaneException;
import dev.lattice.spi.plugin.PluginProperties;
import dev.lattice.spi.routing.PeerStatus;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.routing.RoutingContext;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.routing.RoutingStatus;
import dev.lattice.spi.telemetry.Health;
import dev.lattice.spi.telemetry.HealthIndicator;
import dev.lattice.spi.telemetry.MetricFamily;
import dev.lattice.spi.telemetry.MetricsSource;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The BGP route distributor: an iBGP mesh (or route-reflector topology) among the cluster's nodes
 * plus external peers, advertising this node's pod CIDRs and reporting the best learned routes to
 * the core. Settings: ConfigAdmin PID {@code dev.lattice.plugin.bgp} (see {@link BgpPluginConfig}).
 */
@Component(service = {RouteDistributor.class, HealthIndicator.class, MetricsSource.class},
        configurationPid = "dev.lattice.plugin.bgp", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {PluginProperties.KIND + "=routing", PluginProperties.NAME + "=bgp"})
public final class BgpRouteDistributor implements RouteDistributor, HealthIndicator, MetricsSource {
    private static final Logger LOG = System.getLogger(BgpRouteDistributor.class.getName());

    private volatile BgpPluginConfig config = BgpPluginConfig.defaults();
    private final ThreadFactory threads;
    private RoutingContext context;
    private RoutingIntent lastIntent;
    private BgpSpeaker speaker;
    private SpeakerConfig speakerConfig;
    private ScheduledExecutorService sinkExecutor;
    private final AtomicBoolean sinkPending = new AtomicBoolean();
    private volatile String problem = "not started";
    /** Set while the configuration in ConfigAdmin is invalid; null when it is good. */
    private volatile String configError;

    /** The node's kernel, for the VXLAN overlay (OSGi: the kernel bundle's service). */
    @Reference
    private NetworkNamespaces namespaces;
    private BgpOverlay overlay = new BgpOverlay(null);

    public BgpRouteDistributor() {
        this(null, null);
    }

    /** For tests: IO threads made by {@code threads} (e.g. inside a network namespace). */
    public BgpRouteDistributor(ThreadFactory threads) {
        this(threads, null);
    }

    /**
     * For tests and non-OSGi use: IO threads made by {@code threads}, and the node's network
     * namespace the overlay programs ({@code null}: no overlay).
     */
    public BgpRouteDistributor(ThreadFactory threads, NetNamespace node) {
        this.threads = threads;
        this.overlay = new BgpOverlay(node);
    }

    @Activate
    void activate(Map<String, Object> properties) {
        if (namespaces != null) { // SCR injects the reference before activation; tests may have none
            overlay = new BgpOverlay(namespaces.host());
        }
        try {
            config = BgpPluginConfig.parse(properties);
        } catch (IllegalArgumentException e) {
            // Registered all the same, so that the selector can say why BGP does not start:
            // start() refuses (peering with defaults instead of the operator's settings would be wrong).
            configError = "invalid BGP configuration (plugins.bgp): " + e.getMessage();
            LOG.log(Level.ERROR, "{0}", configError);
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        try {
            config = BgpPluginConfig.parse(properties);
            configError = null;
        } catch (IllegalArgumentException e) {
            boolean running = speaker != null;
            configError = "invalid BGP configuration (plugins.bgp): " + e.getMessage()
                    + (running ? "; the previous settings stay in force" : "");
            LOG.log(Level.ERROR, "{0}", configError);
            return;
        }
        if (lastIntent != null) {
            try {
                apply(lastIntent);
            } catch (RuntimeException e) {
                problem = e.getMessage();
                LOG.log(Level.ERROR, "BGP: new configuration not applied: {0}", e.toString());
            }
        }
    }

    /**
     * The component goes away with its bundle: the agent is stopping or the bundle is being
     * updated, and this node will be back. With graceful restart on (the default) the sessions
     * close without NOTIFICATION, so peers keep our routes and their forwarding for the restart
     * time (RFC 4724). When the core retires this distributor for another one it calls
     * {@link #stop()} first, and the peers are told (Cease) instead.
     */
    @Deactivate
    void deactivate() {
        stopForRestart();
    }

    /** Stops as a node that will be back: gracefully when graceful restart is on (see above). */
    public void stopForRestart() {
        shutDown(config.gracefulRestart());
    }

    /** Sets the configuration directly (tests, non-OSGi use). */
    public synchronized void configure(Map<String, ?> properties) {
        config = BgpPluginConfig.parse(properties);
    }

    @Override
    public synchronized void start(RoutingContext ctx) throws DataplaneException {
        Objects.requireNonNull(ctx);
        if (configError != null && speaker == null) {
            problem = configError;
            throw new DataplaneException(configError, null, false);
        }
        this.context = ctx;
        this.sinkExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bgp-routes");
            t.setDaemon(true);
            return t;
        });
        problem = "waiting for the first routing intent";
    }

    @Override
    public synchronized void update(RoutingIntent intent) throws DataplaneException {
        if (context == null) {
            throw new DataplaneException("update before start", null, false);
        }
        lastIntent = intent;
        try {
            apply(intent);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            throw new DataplaneException("BGP configuration: " + e.getMessage(), e, false);
        }
    }

    private void apply(RoutingIntent intent) {
        BgpPluginConfig c = config;
        MeshPlanner.LocalNode me = MeshPlanner.local(intent.localNode(), c);
        SpeakerConfig sc = new SpeakerConfig(me.asn(), SpeakerConfig.toInt(me.routerId()), c.listenAddress(),
                c.listenPort(), me.clusterId(), c.maxPaths(), c.importPolicy(), c.exportPolicy(), me.ipv4(), me.ipv6(),
                c.nextHopSelf(), c.stalePathTime());
        if (speaker == null || !sc.equals(speakerConfig)) {
            if (speaker != null) {
                LOG.log(Level.INFO, "BGP: speaker settings changed, restarting the speaker gracefully");
                speaker.stop(true);
            }
            BgpSpeaker s = new BgpSpeaker(sc, threads);
            try {
                s.start();
            } catch (Exception e) {
                s.stop(false);
                speaker = null;
                throw new DataplaneException("BGP: cannot listen on port " + c.listenPort() + ": " + e.getMessage(), e, true);
            }
            // With graceful restart on, the first sessions after a (re)start announce the Restart
            // State bit: peers that kept our routes as stale keep forwarding until our End-of-RIB.
            s.setRestarting(c.gracefulRestart());
            s.onRoutesChanged(this::routesChanged);
            speaker = s;
            speakerConfig = sc;
        }
        List<PeerConfig> peers = MeshPlanner.peers(intent.localNode(), intent.nodes(), c);
        List<Prefix> adv = new ArrayList<>();
        for (IpPrefix p : intent.advertised()) {
            adv.add(Prefix.of(p));
        }
        if (!c.advertisePodCidrs()) {
            adv.removeIf(p -> intent.localNode().podCidrs().contains(p.toIpPrefix()));
        }
        int[] comms = c.communities();
        String ann = intent.localNode().annotations().get(Annotations.COMMUNITIES);
        if (ann != null && !ann.isBlank()) {
            List<Integer> l = new ArrayList<>();
            for (int x : comms) {
                l.add(x);
            }
            for (String s : ann.split("[,\\s]+")) {
                if (!s.isBlank()) {
                    l.add(dev.lattice.routing.bgp.rib.Policy.community(s));
                }
            }
            comms = l.stream().mapToInt(Integer::intValue).toArray();
        }
        // Service addresses (everything advertised that is not a pod CIDR) go to external peers
        // only: every node's service proxy serves them, nodes need no routes to each other's.
        Set<Prefix> serviceAddresses = new HashSet<>();
        for (Prefix p : adv) {
            if (!intent.localNode().podCidrs().contains(p.toIpPrefix())) {
                serviceAddresses.add(p);
            }
        }
        speaker.originate(adv, serviceAddresses, comms, c.largeCommunities());
        speaker.setPeers(peers);
        try {
            if (overlay.apply(intent, c.overlay())) {
                routesChanged(); // the same learned routes now go another way
            }
            problem = null;
        } catch (RuntimeException e) {
            // The sessions stay up; routes to nodes in other subnets are left to the FIB's
            // recursive resolution until the overlay can be set up (the next intent retries).
            problem = "VXLAN overlay not set up: " + e.getMessage();
            LOG.log(Level.ERROR, "BGP: {0}", problem);
        }
    }

    private void routesChanged() {
        if (sinkPending.compareAndSet(false, true)) {
            ScheduledExecutorService ex = sinkExecutor;
            if (ex == null) {
                return;
            }
            ex.schedule(() -> {
                sinkPending.set(false);
                BgpSpeaker s;
                RoutingContext ctx;
                synchronized (this) {
                    s = speaker;
                    ctx = context;
                }
                if (s != null && ctx != null) {
                    try {
                        ctx.sink().replaceAll(overlay.rewrite(s.learnedRoutes()));
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "BGP: route sink failed: {0}", e.toString());
                    }
                }
            }, 100, TimeUnit.MILLISECONDS);
        }
    }

    /** The speaker, for the admin API ({@code lattice bgp neighbors / rib}); null before the first update. */
    public synchronized BgpSpeaker speaker() {
        return speaker;
    }

    /**
     * {@code lattice bgp neighbors} for the admin API: a JSON array, one object per peer.
     */
    public String neighborsJson() {
        BgpSpeaker s = speaker();
        List<Object> out = new ArrayList<>();
        if (s != null) {
            for (PeerSnapshot p : s.peers()) {
                Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("name", p.name());
                j.put("address", p.address().toString());
                j.put("remoteAs", p.remoteAs());
                j.put("localAs", s.config().localAs());
                j.put("state", p.state());
                j.put("since", Instant.ofEpochMilli(p.sinceMillis()).toString());
                j.put("families", p.families());
                j.put("prefixesReceived", p.prefixesReceived());
                j.put("prefixesAdvertised", p.prefixesAdvertised());
                j.put("updatesIn", p.updatesIn());
                j.put("updatesOut", p.updatesOut());
                j.put("establishedTransitions", p.establishedTransitions());
                j.put("routeReflectorClient", p.routeReflectorClient());
                j.put("lastError", p.lastError());
                out.add(j);
            }
        }
        return dev.lattice.routing.bgp.tools.Json.write(out);
    }

    /**
     * {@code lattice bgp rib [--peer ADDR]} for the admin API: the Loc-RIB, or one peer's
     * Adj-RIB-In, as a JSON array of {@code {"prefix", "paths": [...]}} (best path first).
     */
    public String ribJson(String peer) {
        BgpSpeaker s = speaker();
        List<Object> out = new ArrayList<>();
        if (s != null) {
            List<BgpSpeaker.RibEntry> entries = peer == null || peer.isBlank() ? s.locRib()
                    : s.adjRibIn(dev.lattice.spi.net.IpAddress.parse(peer.trim()));
            for (BgpSpeaker.RibEntry e : entries) {
                Map<String, Object> j = new java.util.LinkedHashMap<>();
                j.put("prefix", e.prefix().toString());
                j.put("paths", e.paths());
                out.add(j);
            }
        }
        return dev.lattice.routing.bgp.tools.Json.write(out);
    }

    @Override
    public RoutingStatus status() {
        BgpSpeaker s;
        synchronized (this) {
            s = speaker;
        }
        if (s == null) {
            return new RoutingStatus(false, problem == null ? "not started" : problem, List.of());
        }
        String invalid = configError;
        List<PeerStatus> out = new ArrayList<>();
        int up = 0;
        List<PeerSnapshot> snaps = s.peers();
        for (PeerSnapshot p : snaps) {
            if (p.state().equals("Established")) {
                up++;
            }
            out.add(new PeerStatus(p.address(), p.remoteAs(), p.state(), Instant.ofEpochMilli(p.sinceMillis()),
                    p.prefixesReceived(), p.prefixesAdvertised()));
        }
        boolean healthy = problem == null && invalid == null && up == snaps.size();
        String summary = problem != null ? problem
                : up + "/" + snaps.size() + " BGP sessions established, AS " + s.config().localAs() + "; "
                        + overlay.summary();
        if (invalid != null) {
            summary = invalid + "; " + summary;
        }
        return new RoutingStatus(healthy, summary, out);
    }

    @Override
    public String component() {
        return "bgp";
    }

    @Override
    public Health health() {
        RoutingStatus st = status();
        if (speaker == null) {
            // Not the selected routing plugin (never started, or stopped by a swap) is idle, not
            // broken: only a failed start makes the agent's health DOWN.
            String p = problem;
            boolean idle = p == null || p.equals("not started") || p.equals("stopped");
            if (idle) {
                return Health.up("not in use (not the selected routing plugin)");
            }
            return p.startsWith("waiting") ? Health.degraded(st.summary()) : Health.down(st.summary());
        }
        long up = st.peers().stream().filter(p -> p.state().equals("Established")).count();
        Map<String, String> details = new TreeMap<>();
        for (PeerStatus p : st.peers()) {
            details.put(p.address().toString(), p.state());
        }
        if (st.healthy()) {
            return new Health(Health.Status.UP, st.summary(), details);
        }
        return new Health(up > 0 || st.peers().isEmpty() ? Health.Status.DEGRADED : Health.Status.DOWN, st.summary(),
                details);
    }

    @Override
    public List<MetricFamily> collect() {
        BgpSpeaker s;
        synchronized (this) {
            s = speaker;
        }
        if (s == null) {
            return List.of();
        }
        List<MetricFamily.Sample> state = new ArrayList<>();
        List<MetricFamily.Sample> rx = new ArrayList<>();
        List<MetricFamily.Sample> tx = new ArrayList<>();
        List<MetricFamily.Sample> uin = new ArrayList<>();
        List<MetricFamily.Sample> uout = new ArrayList<>();
        List<MetricFamily.Sample> flaps = new ArrayList<>();
        for (PeerSnapshot p : s.peers()) {
            Map<String, String> l = Map.of("peer", p.address().toString(), "peer_name", p.name(),
                    "peer_asn", Long.toString(p.remoteAs()));
            state.add(MetricFamily.Sample.of(l, stateNumber(p.state())));
            rx.add(MetricFamily.Sample.of(l, p.prefixesReceived()));
            tx.add(MetricFamily.Sample.of(l, p.prefixesAdvertised()));
            uin.add(MetricFamily.Sample.of(l, p.updatesIn()));
            uout.add(MetricFamily.Sample.of(l, p.updatesOut()));
            flaps.add(MetricFamily.Sample.of(l, p.establishedTransitions()));
        }
        return List.of(
                new MetricFamily("lattice_bgp_session_state", "BGP session state: 1 Idle, 2 Connect, 3 Active, "
                        + "4 OpenSent, 5 OpenConfirm, 6 Established", MetricFamily.Type.GAUGE, state),
                new MetricFamily("lattice_bgp_prefixes_received", "Prefixes in the peer's Adj-RIB-In",
                        MetricFamily.Type.GAUGE, rx),
                new MetricFamily("lattice_bgp_prefixes_advertised", "Prefixes in the peer's Adj-RIB-Out",
                        MetricFamily.Type.GAUGE, tx),
                new MetricFamily("lattice_bgp_updates_received_total", "UPDATE messages received",
                        MetricFamily.Type.COUNTER, uin),
                new MetricFamily("lattice_bgp_updates_sent_total", "UPDATE messages sent", MetricFamily.Type.COUNTER,
                        uout),
                new MetricFamily("lattice_bgp_established_total", "Transitions to Established",
                        MetricFamily.Type.COUNTER, flaps),
                new MetricFamily("lattice_bgp_loc_rib_prefixes", "Prefixes in the Loc-RIB", MetricFamily.Type.GAUGE,
                        List.of(MetricFamily.Sample.of(Map.of(), s.locRibSize()))));
    }

    static int stateNumber(String s) {
        return switch (s) {
            case "Idle" -> 1;
            case "Connect" -> 2;
            case "Active" -> 3;
            case "OpenSent" -> 4;
            case "OpenConfirm" -> 5;
            case "Established" -> 6;
            default -> 0;
        };
    }

    /**
     * Stops for good: the core has put another distributor in force (or {@code routing: none}).
     * Every session gets Cease/Administrative Shutdown, so peers withdraw this node's routes at
     * once rather than keep forwarding to it for the graceful-restart time.
     */
    @Override
    public void stop() {
        shutDown(false);
    }

    /** Closes the sessions, gracefully (no NOTIFICATION, routes kept by peers) or with Cease. */
    synchronized void shutDown(boolean graceful) {
        if (speaker != null) {
            speaker.stop(graceful);
            speaker = null;
            speakerConfig = null;
        }
        if (!graceful) {
            overlay.remove(config.overlay()); // kept on a graceful stop: forwarding goes on during a restart
        }
        if (sinkExecutor != null) {
            sinkExecutor.shutdownNow();
            sinkExecutor = null;
        }
        context = null;
        problem = "stopped";
    }
}
