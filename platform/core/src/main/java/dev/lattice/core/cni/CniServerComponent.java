package dev.lattice.core.cni;

import dev.lattice.core.hostpaths.HostPaths;
import dev.lattice.core.ipam.IpamComponent;
import dev.lattice.core.selection.PodNetworkSelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs the {@link CniServer} in the agent, configured by the {@code cni:} section of lattice.yaml
 * (PID {@code dev.lattice.cni}, see {@link CniSettings}). A configuration change restarts the
 * server (pods and their state are not touched).
 *
 * <p>The configuration is required: the server writes {@code /etc/cni/net.d} and listens under
 * {@code /run/lattice} only when the agent's configuration has a {@code cni:} section (the
 * shipped lattice.yaml does), so that an agent started for a test never touches the machine's
 * CNI setup by accident.
 */
@Component(service = CniServerComponent.class, configurationPid = CniSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class CniServerComponent {
    private static final System.Logger LOG = System.getLogger(CniServerComponent.class.getName());

    @Reference
    private PodNetworkSelection selection;

    @Reference
    private IpamComponent ipam;

    private CniServer server;
    private final Runnable onCidrs = this::cidrsChanged;

    @Activate
    void activate(Map<String, Object> config, org.osgi.framework.BundleContext context) {
        // Default host paths go under lattice.root when set (tests, the sandbox): see HostPaths.
        Map<String, Object> effective = new java.util.HashMap<>(config);
        effective.putIfAbsent("socket", HostPaths.resolve(context, CniSettings.DEFAULT_SOCKET).toString());
        effective.putIfAbsent("confDir", HostPaths.resolve(context, "/etc/cni/net.d").toString());
        effective.putIfAbsent("stateDir", HostPaths.resolve(context, "/var/lib/lattice/cni").toString());
        CniSettings settings = CniSettings.from(effective);
        Object from = config.get("installFrom");
        if (from != null && !String.valueOf(from).isBlank()) {
            Object binDir = config.get("binDir");
            Path dir = binDir == null || String.valueOf(binDir).isBlank()
                    ? HostPaths.resolve(context, "/opt/cni/bin") : Path.of(String.valueOf(binDir).trim());
            try {
                PluginInstaller.install(Path.of(String.valueOf(from).trim()), dir);
            } catch (IOException e) {
                throw new UncheckedIOException("CNI: cannot install the plugin executable: " + e.getMessage(), e);
            }
        }
        server = new CniServer(settings, selection, ipam.ipam());
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("CNI server could not start on " + settings.socket() + ": " + e.getMessage(), e);
        }
        ipam.onPodCidrsChanged(onCidrs);
    }

    private void cidrsChanged() {
        CniServer s = server;
        if (s != null) {
            s.prepareNode();
            try {
                s.writeConflist();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "CNI: cannot write the conflist: " + e.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() {
        ipam.removeListener(onCidrs);
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The server, for diagnostics. */
    public CniServer server() {
        return server;
    }
}
