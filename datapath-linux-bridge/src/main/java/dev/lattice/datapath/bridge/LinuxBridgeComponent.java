package dev.lattice.datapath.bridge;

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

/** The linux-bridge datapath as an OSGi service; settings from {@code plugins.linux-bridge:}. */
@Component(service = PodNetworkDatapath.class, configurationPid = "dev.lattice.plugin.linux-bridge",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"lattice.plugin.kind=pod-network", "lattice.plugin.name=linux-bridge"})
public final class LinuxBridgeComponent implements PodNetworkDatapath {
    @Reference
    private NetworkNamespaces netns;

    private volatile LinuxBridgeDatapath delegate;

    @Activate
    void activate(Map<String, Object> config) {
        delegate = new LinuxBridgeDatapath(netns, BridgeSettings.from(config));
    }

    /** New settings apply to new pods; existing pods keep their interfaces. */
    @Modified
    void modified(Map<String, Object> config) {
        LinuxBridgeDatapath old = delegate;
        delegate = new LinuxBridgeDatapath(netns, BridgeSettings.from(config));
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
