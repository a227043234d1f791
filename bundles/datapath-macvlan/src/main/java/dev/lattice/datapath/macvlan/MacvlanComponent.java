package dev.lattice.datapath.macvlan;

import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.pod.AttachRequest;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/** The macvlan datapath as an OSGi service; settings from {@code plugins.macvlan:}. */
@Component(service = PodNetworkDatapath.class, configurationPid = "dev.lattice.plugin.macvlan",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"lattice.plugin.kind=pod-network", "lattice.plugin.name=macvlan"})
public final class MacvlanComponent implements PodNetworkDatapath {
    @Reference
    private NetworkNamespaces netns;

    private volatile MacvlanDatapath delegate;

    @Activate
    void activate(Map<String, Object> config) {
        delegate = new MacvlanDatapath(netns, MacvlanSettings.from(config));
    }

    @Modified
    void modified(Map<String, Object> config) {
        MacvlanDatapath old = delegate;
        delegate = new MacvlanDatapath(netns, MacvlanSettings.from(config));
        old.close();
    }

    @Deactivate
    void deactivate() {
        delegate.close();
    }

    @Override
    public void prepareNode(NodeNetwork node) {
        delegate.prepareNode(node);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        return delegate.attach(request);
    }

    @Override
    public void check(Attachment attachment) {
        delegate.check(attachment);
    }

    @Override
    public void detach(Attachment attachment) {
        delegate.detach(attachment);
    }

    @Override
    public void cleanupNode() {
        delegate.cleanupNode();
    }
}
