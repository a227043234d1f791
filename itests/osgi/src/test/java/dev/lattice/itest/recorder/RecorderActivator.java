package dev.lattice.itest.recorder;

import dev.lattice.spi.plugin.PluginKind;
import dev.lattice.spi.plugin.PluginProperties;
import dev.lattice.spi.pod.PodNetworkDatapath;
import dev.lattice.spi.policy.PolicyDataplane;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.service.ServiceDataplane;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A test plugin bundle: registers one recording plugin of every kind under the name in its
 * manifest header {@code Lattice-Recorder-Name}. The tests package these classes into several
 * jars (alpha, beta, gamma; versions 1 and 2) and drop them into the agent's deploy/ folder.
 */
public final class RecorderActivator implements BundleActivator {
    public static final String NAME_HEADER = "Lattice-Recorder-Name";

    private final java.util.List<ServiceRegistration<?>> registrations = new java.util.ArrayList<>();

    @Override
    public void start(BundleContext context) {
        String name = context.getBundle().getHeaders().get(NAME_HEADER);
        CallLog log = new CallLog(context, name);
        registrations.add(context.registerService(ServiceDataplane.class, new RecordingDataplanes.Services(log),
                props(PluginKind.SERVICE_PROXY, name)));
        registrations.add(context.registerService(PolicyDataplane.class, new RecordingDataplanes.Policies(log),
                props(PluginKind.NETWORK_POLICY, name)));
        registrations.add(context.registerService(RouteDistributor.class, new RecordingDataplanes.Routing(log),
                props(PluginKind.ROUTING, name)));
        registrations.add(context.registerService(PodNetworkDatapath.class, new RecordingDataplanes.Pods(log, name),
                props(PluginKind.POD_NETWORK, name)));
    }

    private static Dictionary<String, Object> props(PluginKind kind, String name) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(PluginProperties.KIND, kind.id());
        p.put(PluginProperties.NAME, name);
        return p;
    }

    /**
     * Unregisters while the bundle context is still valid, as Declarative Services does for a
     * component: the selector calls cleanup() during the unregistration.
     */
    @Override
    public void stop(BundleContext context) {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
        registrations.clear();
    }
}
