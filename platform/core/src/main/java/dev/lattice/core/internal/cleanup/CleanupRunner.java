package dev.lattice.core.internal.cleanup;

import dev.lattice.core.cni.RecordedAttachments;
import dev.lattice.core.hostpaths.HostPaths;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.plugin.PluginProperties;
import dev.lattice.spi.pod.PodNetworkDatapath;
import dev.lattice.spi.policy.PolicyDataplane;
import dev.lattice.spi.routing.RouteDistributor;
import dev.lattice.spi.service.ServiceDataplane;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code lattice cleanup}: removes what every Lattice plugin programmed on this node — each
 * registered plugin, selected or not, is asked to clean up — and the CNI configuration list, then
 * stops the framework. Active only when the launcher starts the framework with
 * {@code lattice.mode=cleanup} (the selectors then run with every job set to {@code none}, so
 * nothing is brought up and the FIB programmer withdraws Lattice's routes).
 */
@Component(service = {}, immediate = true)
public final class CleanupRunner {
    static final String MODE = "lattice.mode";
    private static final Logger LOG = System.getLogger(CleanupRunner.class.getName());

    @Activate
    void activate(BundleContext context) {
        if (!"cleanup".equals(context.getProperty(MODE))) {
            return;
        }
        Thread t = new Thread(() -> run(context), "lattice-cleanup");
        t.setDaemon(true);
        t.start();
    }

    private void run(BundleContext context) {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            // Plugin bundles start in any order: give them the time a start takes here.
            Thread.sleep(Long.getLong("lattice.cleanup.settleMillis", 3000));
            cleanAll(context, ServiceDataplane.class, ServiceDataplane::cleanup, done, failed);
            cleanAll(context, PolicyDataplane.class, PolicyDataplane::cleanup, done, failed);
            cleanAll(context, RouteDistributor.class, RouteDistributor::stop, done, failed);
            detachPods(context, done, failed);
            cleanAll(context, PodNetworkDatapath.class, PodNetworkDatapath::cleanupNode, done, failed);
            Path confDir = setting(context, "confDir", "/etc/cni/net.d");
            String name = context.getProperty("lattice.cleanup.cni.conflistName");
            Path conflist = confDir.resolve(name != null ? name : "10-lattice.conflist");
            if (Files.deleteIfExists(conflist)) {
                done.add("removed " + conflist);
            }
            // The FIB programmer removes Lattice's routes once `routing: none` is in force;
            // leave it one resync to do so before the framework stops.
            Thread.sleep(Long.getLong("lattice.cleanup.fibMillis", 1500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failed.add(e.toString());
        }
        done.forEach(d -> LOG.log(Level.INFO, "cleanup: {0}", d));
        failed.forEach(f -> LOG.log(Level.ERROR, "cleanup: {0}", f));
        LOG.log(Level.INFO, "cleanup finished: {0} done, {1} failed", done.size(), failed.size());
        System.setProperty("lattice.cleanup.failures", Integer.toString(failed.size()));
        try {
            context.getBundle(0).stop();
        } catch (BundleException e) {
            LOG.log(Level.ERROR, "cannot stop the framework after cleanup", e);
        }
    }

    /** Every pod the CNI server recorded, detached through the datapath that made it. */
    private static void detachPods(BundleContext context, List<String> done, List<String> failed) throws Exception {
        Path stateDir = setting(context, "stateDir", "/var/lib/lattice/cni");
        RecordedAttachments records = RecordedAttachments.in(stateDir);
        for (Attachment a : records.all()) {
            PodNetworkDatapath datapath = null;
            for (ServiceReference<PodNetworkDatapath> ref : context.getServiceReferences(PodNetworkDatapath.class,
                    "(" + PluginProperties.NAME + "=" + a.datapath() + ")")) {
                datapath = context.getService(ref);
            }
            if (datapath == null) {
                failed.add("pod " + a.containerId() + ": its datapath '" + a.datapath() + "' is not installed");
                continue;
            }
            try {
                datapath.detach(a);
                records.forget(a);
                done.add("detached pod " + a.containerId() + " (" + a.datapath() + ")");
            } catch (RuntimeException e) {
                failed.add("pod " + a.containerId() + ": " + e.getMessage());
            }
        }
    }

    /** A CNI path: as configured (passed on by the launcher), else the default under lattice.root. */
    private static Path setting(BundleContext context, String key, String fallback) {
        String v = context.getProperty("lattice.cleanup.cni." + key);
        return v != null ? Path.of(v) : HostPaths.resolve(context, fallback);
    }

    private interface Cleanup<T> {
        void clean(T plugin) throws Exception;
    }

    private static <T> void cleanAll(BundleContext context, Class<T> type, Cleanup<T> cleanup,
                                     List<String> done, List<String> failed) throws Exception {
        for (ServiceReference<T> ref : context.getServiceReferences(type, null)) {
            Object name = ref.getProperty(PluginProperties.NAME);
            Object kind = ref.getProperty(PluginProperties.KIND);
            T plugin = context.getService(ref);
            if (plugin == null) {
                continue;
            }
            try {
                cleanup.clean(plugin);
                done.add(kind + " plugin '" + name + "' cleaned up");
            } catch (Exception e) {
                failed.add(kind + " plugin '" + name + "': " + e.getMessage());
            } finally {
                context.ungetService(ref);
            }
        }
    }
}
