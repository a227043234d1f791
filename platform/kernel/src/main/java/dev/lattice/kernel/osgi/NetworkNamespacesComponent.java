package dev.lattice.kernel.osgi;

import dev.lattice.kernel.netns.NamespacesImpl;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.kernel.firewall.FirewallTools;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers {@link NetworkNamespaces} as an OSGi service. Handles opened by a consumer are closed
 * when this component deactivates (the namespaces themselves stay).
 */
@Component(service = NetworkNamespaces.class, immediate = true)
public final class NetworkNamespacesComponent implements NetworkNamespaces {
    private static final System.Logger LOG = System.getLogger(NetworkNamespacesComponent.class.getName());
    private volatile NamespacesImpl impl;

    @Activate
    void activate() {
        impl = new NamespacesImpl();
        try {
            FirewallTools tools = impl.firewallTools();
            LOG.log(Level.INFO, "kernel access ready; firewall tools {0}", tools);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "probing firewall tools failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        NamespacesImpl i = impl;
        impl = null;
        if (i != null) {
            i.close();
        }
    }

    private NamespacesImpl impl() {
        NamespacesImpl i = impl;
        if (i == null) {
            throw new IllegalStateException("the kernel access component is not active");
        }
        return i;
    }

    @Override
    public NetNamespace host() {
        return impl().host();
    }

    @Override
    public NetNamespace create(String name) {
        return impl().create(name);
    }

    @Override
    public NetNamespace open(String name) {
        return impl().open(name);
    }

    @Override
    public NetNamespace open(Path path) {
        return impl().open(path);
    }

    @Override
    public boolean delete(String name) {
        return impl().delete(name);
    }

    @Override
    public List<String> list() {
        return impl().list();
    }

    @Override
    public FirewallTools firewallTools() {
        return impl().firewallTools();
    }
}
