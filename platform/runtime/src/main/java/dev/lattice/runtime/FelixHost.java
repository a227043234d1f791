package dev.lattice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;

/**
 * The embedded Apache Felix framework: starts it with a fresh cache, installs every bundle of
 * the distribution's {@code bundles/} directory, and points FileInstall at {@code deploy/}.
 */
final class FelixHost {
    private static final Logger LOG = System.getLogger(FelixHost.class.getName());

    private final Felix felix;

    private FelixHost(Felix felix) {
        this.felix = felix;
    }

    /** Something to do once ConfigAdmin runs and before any other bundle starts. */
    interface BeforeBundles {
        void run(BundleContext context) throws Exception;
    }

    static FelixHost start(Path bundlesDir, Path deployDir, Path stateDir, Map<String, String> extraProps,
                           BeforeBundles beforeBundles) throws Exception {
        Map<String, Object> props = new HashMap<>();
        Path cache = stateDir.resolve("felix-cache");
        props.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        // lattice.yaml is the source of truth: start from a clean framework every time.
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*,com.sun.*");
        props.put("felix.fileinstall.dir", deployDir.toString());
        props.put("felix.fileinstall.poll", "1000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", "3");
        props.put("felix.fileinstall.bundles.new.start", "true");
        props.put("felix.fileinstall.bundles.updateWithListeners", "true");
        props.putAll(extraProps);
        Felix felix = new Felix(props);
        felix.init();
        BundleContext ctx = felix.getBundleContext();
        List<Bundle> toStart = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundlesDir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + bundlesDir + ": is LATTICE_HOME the distribution directory?");
        }
        for (Path jar : jars) {
            Bundle b;
            try (InputStream in = Files.newInputStream(jar)) {
                b = ctx.installBundle(jar.toUri().toString(), in);
            }
            if (!isFragment(jar)) {
                toStart.add(b);
            }
        }
        felix.start();
        // ConfigAdmin first, so that every component activates with its configuration in place
        // (the admin endpoint, say, binds the configured port and never the default first).
        for (Bundle b : toStart) {
            if ("org.apache.felix.configadmin".equals(b.getSymbolicName())) {
                b.start();
            }
        }
        beforeBundles.run(ctx);
        for (Bundle b : toStart) {
            try {
                b.start();
            } catch (BundleException e) {
                LOG.log(Level.ERROR, "bundle " + b.getSymbolicName() + " did not start: " + e.getMessage(), e);
            }
        }
        LOG.log(Level.INFO, "framework started with {0} bundles; watching {1} for more", jars.size(), deployDir);
        return new FelixHost(felix);
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.getManifest() != null && jf.getManifest().getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
        }
    }

    BundleContext context() {
        return felix.getBundleContext();
    }

    void stop() throws BundleException, InterruptedException {
        felix.stop();
        FrameworkEvent e = felix.waitForStop(30_000);
        if (e.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            LOG.log(Level.WARNING, "framework did not stop within 30 s");
        }
    }

    void awaitStop() throws InterruptedException {
        felix.waitForStop(0);
    }
}
