package dev.lattice.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.lattice.core.selection.NetworkPolicySelection;
import dev.lattice.core.selection.PluginSelection;
import dev.lattice.core.selection.PodNetworkSelection;
import dev.lattice.core.selection.RoutingSelection;
import dev.lattice.core.selection.ServiceProxySelection;
import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.net.Protocol;
import dev.lattice.spi.node.NodeInfo;
import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.policy.PolicyState;
import dev.lattice.spi.routing.RoutingIntent;
import dev.lattice.spi.service.Endpoint;
import dev.lattice.spi.service.ServiceState;
import dev.lattice.spi.service.SessionAffinity;
import dev.lattice.spi.service.TrafficPolicy;
import dev.lattice.spi.service.VirtualService;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Selection by configuration and make-before-break hot-swap, with recorder plugin bundles (built
 * against datapath-spi alone) installed, updated and uninstalled through FileInstall's deploy/
 * folder, and the configuration changed through ConfigAdmin as lattice.yaml edits do.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {
    private static final String AGENT_PID = "dev.lattice.agent";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private ServiceRegistration<?> logRegistration;

    @Configuration
    public Option[] config() throws Exception {
        return OsgiSupport.frameworkOptions();
    }

    @Before
    public void registerCallLog() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("lattice.itest.calllog", "true");
        Consumer<String> log = calls::add;
        logRegistration = context.registerService(Consumer.class.getName(), log, props);
    }

    @After
    public void removeRecorders() throws Exception {
        logRegistration.unregister();
        OsgiSupport.undeployAll();
        OsgiSupport.await("recorder bundles to be uninstalled", () -> recorderBundles().isEmpty(),
                () -> "still installed: " + recorderBundles());
        // Reset rather than delete: see ConfigAdminBridge on why Lattice never deletes its PIDs.
        configAdmin.getConfiguration(AGENT_PID, "?").update(new Hashtable<>());
    }

    @Test
    public void configurationSelectsAndSwapsEveryKindMakeBeforeBreak() throws Exception {
        OsgiSupport.deploy("alpha", 1);
        OsgiSupport.deploy("beta", 1);
        configureAll("alpha");
        for (PluginKind kind : PluginKind.values()) {
            awaitActive(kind, "alpha");
        }
        pushDesiredState();
        Map<PluginKind, Long> swapsBefore = new java.util.EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            swapsBefore.put(kind, status(kind).swaps());
        }
        configureAll("beta");
        for (PluginKind kind : PluginKind.values()) {
            awaitActive(kind, "beta");
        }
        assertBefore("beta@1.0.0 service-proxy sync 1", "alpha@1.0.0 service-proxy cleanup");
        assertBefore("beta@1.0.0 network-policy sync 0", "alpha@1.0.0 network-policy cleanup");
        assertBefore("beta@1.0.0 routing start node-a", "beta@1.0.0 routing update 1");
        assertBefore("beta@1.0.0 routing update 1", "alpha@1.0.0 routing stop");
        assertTrue(calls.toString(), calls.contains("beta@1.0.0 pod-network prepareNode node-a"));
        // A retired pod datapath keeps its node setup for the pods still attached to it.
        assertFalse(calls.toString(), calls.contains("alpha@1.0.0 pod-network cleanupNode"));
        // Once retired, the old plugin gets no more desired state.
        calls.clear();
        service(ServiceProxySelection.class).sync(serviceState());
        assertEquals(List.of("beta@1.0.0 service-proxy sync 1"), calls);

        String metrics = OsgiSupport.get("/metrics").body();
        for (PluginKind kind : PluginKind.values()) {
            long swaps = swapsBefore.get(kind) + 1;
            assertEquals(swaps, status(kind).swaps());
            assertTrue(metrics, metrics.contains("lattice_plugin_swaps_total{kind=\"" + kind.id() + "\"} " + swaps));
            assertTrue(metrics, metrics.contains("lattice_plugin_selected{kind=\"" + kind.id() + "\",plugin=\"beta\"} 1"));
        }
    }

    @Test
    public void unknownPluginKeepsTheSelectionAndALateArrivalTakesOver() throws Exception {
        OsgiSupport.deploy("alpha", 1);
        configure("serviceProxy", "alpha");
        awaitActive(PluginKind.SERVICE_PROXY, "alpha");
        service(ServiceProxySelection.class).sync(serviceState());

        configure("serviceProxy", "gamma");
        OsgiSupport.await("the unknown plugin to be reported", () -> status(PluginKind.SERVICE_PROXY).problem()
                .contains("no bundle provides service-proxy plugin 'gamma'"), this::diagnostics);
        assertEquals("alpha", status(PluginKind.SERVICE_PROXY).active());
        OsgiSupport.Response health = OsgiSupport.get("/healthz");
        assertTrue(health.body(), health.body().contains("no bundle provides service-proxy plugin 'gamma'"));
        assertTrue(health.body(), health.body().contains("keeping 'alpha'"));

        OsgiSupport.deploy("gamma", 1);
        awaitActive(PluginKind.SERVICE_PROXY, "gamma");
        assertBefore("gamma@1.0.0 service-proxy sync 1", "alpha@1.0.0 service-proxy cleanup");
        assertEquals("", status(PluginKind.SERVICE_PROXY).problem());
    }

    @Test
    public void bundleUpdateThroughDeployHandsOverWithoutCleanup() throws Exception {
        OsgiSupport.deploy("gamma", 1);
        configure("serviceProxy", "gamma");
        awaitActive(PluginKind.SERVICE_PROXY, "gamma");
        service(ServiceProxySelection.class).sync(serviceState());

        OsgiSupport.deploy("gamma", 2); // overwrite deploy/gamma.jar: FileInstall updates the bundle
        OsgiSupport.await("gamma 2.0.0 to take over", () -> calls.contains("gamma@2.0.0 service-proxy sync 1"),
                this::diagnostics);
        awaitActive(PluginKind.SERVICE_PROXY, "gamma");
        // The new version owns the same kernel objects: the old one must not clean them up.
        assertFalse(calls.toString(), calls.contains("gamma@1.0.0 service-proxy cleanup"));
        assertEquals("2.0.0", recorderBundles().get("gamma"));
    }

    @Test
    public void uninstallThroughDeployFallsBackMakeBeforeBreak() throws Exception {
        OsgiSupport.deploy("alpha", 1);
        OsgiSupport.deploy("gamma", 1);
        configure("serviceProxy", "gamma, alpha");
        awaitActive(PluginKind.SERVICE_PROXY, "gamma");
        service(ServiceProxySelection.class).sync(serviceState());

        OsgiSupport.undeploy("gamma");
        awaitActive(PluginKind.SERVICE_PROXY, "alpha");
        assertBefore("alpha@1.0.0 service-proxy sync 1", "gamma@1.0.0 service-proxy cleanup");
        assertTrue(status(PluginKind.SERVICE_PROXY).problem().contains("running fallback 'alpha'"));
        String health = OsgiSupport.get("/healthz").body();
        assertTrue(health, health.contains("running fallback 'alpha'"));
    }

    @Test
    public void theShippedDryRunPluginIsSelectableForThreeKinds() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("serviceProxy", "dryrun");
        props.put("networkPolicy", "dryrun");
        props.put("routing", "dryrun");
        configAdmin.getConfiguration(AGENT_PID, "?").update(props);
        awaitActive(PluginKind.SERVICE_PROXY, "dryrun");
        awaitActive(PluginKind.NETWORK_POLICY, "dryrun");
        awaitActive(PluginKind.ROUTING, "dryrun");
        pushDesiredState();
        assertEquals("", status(PluginKind.ROUTING).problem());
    }

    @Test
    public void theBgpPluginIsSelectableInsideTheFramework() throws Exception {
        configure("routing", "bgp");
        awaitActive(PluginKind.ROUTING, "bgp");
        NodeInfo node = new NodeInfo("node-a", List.of(IpAddress.parse("127.0.0.1")),
                List.of(IpPrefix.parse("10.244.1.0/24")), Map.of(), Map.of());
        service(RoutingSelection.class).update(new RoutingIntent(node, List.of(node), node.podCidrs()));
        OsgiSupport.await("the BGP plugin's health in /healthz", () -> {
            try {
                return OsgiSupport.get("/healthz").body().contains("\"bgp\"");
            } catch (java.io.IOException e) {
                return false;
            }
        }, this::diagnostics);
        // Plugins serve documents under /plugins/ (AdminResource services).
        OsgiSupport.Response neighbors = OsgiSupport.get("/plugins/bgp/neighbors");
        assertEquals(200, neighbors.status());
        assertTrue(neighbors.body(), neighbors.body().trim().startsWith("["));
        OsgiSupport.Response missing = OsgiSupport.get("/plugins/nope");
        assertEquals(404, missing.status());
        assertTrue(missing.body(), missing.body().contains("bgp/neighbors"));
    }

    // --- helpers ---

    private void configureAll(String name) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        for (PluginKind kind : PluginKind.values()) {
            props.put(kind.configKey(), name);
        }
        configAdmin.getConfiguration(AGENT_PID, "?").update(props);
    }

    private void configure(String key, String value) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(key, value);
        configAdmin.getConfiguration(AGENT_PID, "?").update(props);
    }

    private void pushDesiredState() {
        NodeInfo node = new NodeInfo("node-a", List.of(IpAddress.parse("192.0.2.10")),
                List.of(IpPrefix.parse("10.244.1.0/24")), Map.of(), Map.of());
        service(ServiceProxySelection.class).sync(serviceState());
        service(NetworkPolicySelection.class).sync(new PolicyState("node-a", List.of()));
        service(RoutingSelection.class).update(new RoutingIntent(node, List.of(node), node.podCidrs()));
        service(PodNetworkSelection.class).prepare(new NodeNetwork("node-a", node.podCidrs(),
                List.of(IpAddress.parse("10.244.1.1")), 1450));
    }

    private static ServiceState serviceState() {
        VirtualService web = new VirtualService("default", "web", "http", Protocol.TCP, 80,
                List.of(IpAddress.parse("10.96.0.10")), 0, List.of(), List.of(), List.of(),
                TrafficPolicy.CLUSTER, TrafficPolicy.CLUSTER, SessionAffinity.NONE, 0,
                List.of(new Endpoint(IpAddress.parse("10.244.1.5"), 8080, "node-a", true, true, true, false)));
        return new ServiceState("node-a", List.of(IpAddress.parse("192.0.2.10")),
                List.of(IpPrefix.parse("10.244.0.0/16")), List.of(web));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        if (ref == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service");
        }
        return context.getService(ref);
    }

    private dev.lattice.core.selection.SelectionStatus status(PluginKind kind) {
        java.util.Collection<ServiceReference<PluginSelection>> refs;
        try {
            refs = context.getServiceReferences(PluginSelection.class, null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<PluginSelection> ref : refs) {
            PluginSelection s = context.getService(ref);
            if (s.kind() == kind) {
                return s.status();
            }
        }
        throw new AssertionError("no selection for " + kind);
    }

    private void awaitActive(PluginKind kind, String name) {
        OsgiSupport.await(kind.id() + " to use '" + name + "'", () -> {
            try {
                return name.equals(status(kind).active());
            } catch (Exception e) {
                return false;
            }
        }, this::diagnostics);
    }

    private void assertBefore(String first, String second) {
        int a = calls.indexOf(first);
        int b = calls.indexOf(second);
        assertTrue("missing '" + first + "' in " + calls, a >= 0);
        assertTrue("missing '" + second + "' in " + calls, b >= 0);
        assertTrue("'" + first + "' must come before '" + second + "': " + calls, a < b);
    }

    private Map<String, String> recorderBundles() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String sn = b.getSymbolicName();
            if (sn != null && sn.startsWith("dev.lattice.itest.recorder.")) {
                out.put(sn.substring("dev.lattice.itest.recorder.".length()), b.getVersion().toString());
            }
        }
        return out;
    }

    private String diagnostics() {
        List<String> lines = new ArrayList<>();
        lines.add("calls: " + calls);
        lines.add("recorder bundles: " + recorderBundles());
        for (PluginKind kind : PluginKind.values()) {
            try {
                lines.add(kind.id() + ": " + status(kind));
            } catch (Exception e) {
                lines.add(kind.id() + ": " + e);
            }
        }
        return String.join("\n", lines);
    }
}
