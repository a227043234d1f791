package dev.lattice.runtime;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Writes configurations into ConfigAdmin from outside the framework. The launcher shares no
 * classes with the ConfigAdmin bundle (org.osgi.service.cm lives inside the framework), so the
 * calls go through that bundle's own interface classes by reflection; only java.util types
 * cross the boundary. Configurations it wrote and no longer wants are deleted.
 */
final class ConfigAdminBridge {
    private static final Logger LOG = System.getLogger(ConfigAdminBridge.class.getName());
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";

    private final BundleContext context;
    private final Set<String> written = new HashSet<>();

    ConfigAdminBridge(BundleContext context) {
        this.context = context;
    }

    /** Makes ConfigAdmin hold exactly {@code configs} among the PIDs this bridge manages. */
    synchronized void apply(Map<String, Map<String, Object>> configs) throws Exception {
        ServiceReference<?> ref = awaitConfigAdmin();
        Object admin = context.getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass(CM);
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Method get = adminType.getMethod("getConfiguration", String.class, String.class);
            Method updateIfDifferent = configType.getMethod("updateIfDifferent", Dictionary.class);
            for (Map.Entry<String, Map<String, Object>> e : configs.entrySet()) {
                // "?" binds the configuration to any bundle: several bundles read some PIDs.
                Object config = get.invoke(admin, e.getKey(), "?");
                Dictionary<String, Object> props = new Hashtable<>(e.getValue());
                boolean changed = (Boolean) updateIfDifferent.invoke(config, props);
                if (changed) {
                    LOG.log(Level.DEBUG, "configuration {0} updated", e.getKey());
                }
                written.add(e.getKey());
            }
            for (String pid : Set.copyOf(written)) {
                if (!configs.containsKey(pid)) {
                    updateIfDifferent.invoke(get.invoke(admin, pid, "?"), new Hashtable<String, Object>());
                    written.remove(pid);
                    LOG.log(Level.INFO, "configuration {0} reset to defaults", pid);
                }
            }
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        } finally {
            context.ungetService(ref);
        }
    }

    /** Creates a factory configuration (FileInstall's extra watched directory). */
    void createFactoryConfiguration(String factoryPid, Map<String, Object> props) throws Exception {
        ServiceReference<?> ref = awaitConfigAdmin();
        Object admin = context.getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass(CM);
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Object config = adminType.getMethod("createFactoryConfiguration", String.class, String.class)
                    .invoke(admin, factoryPid, "?");
            configType.getMethod("update", Dictionary.class).invoke(config, new Hashtable<>(props));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        } finally {
            context.ungetService(ref);
        }
    }

    private ServiceReference<?> awaitConfigAdmin() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ServiceReference<?> ref = context.getServiceReference(CM);
            if (ref != null) {
                return ref;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ConfigAdmin did not start within 30 s: is"
                        + " org.apache.felix.configadmin in the bundles directory?");
            }
            Thread.sleep(50);
        }
    }
}
