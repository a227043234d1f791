package dev.lattice.datapath.bridge;

import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.pod.DelegatingPodNetworkDatapath;
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
public final class LinuxBridgeComponent extends DelegatingPodNetworkDatapath<LinuxBridgeDatapath> {
    @Reference
    private NetworkNamespaces netns;

    @Activate
    void activate(Map<String, Object> config) {
        replace(new LinuxBridgeDatapath(netns, BridgeSettings.from(config)));
    }

    /** New settings apply to new pods; existing pods keep their interfaces. */
    @Modified
    void modified(Map<String, Object> config) {
        replace(new LinuxBridgeDatapath(netns, BridgeSettings.from(config))).close();
    }

    @Deactivate
    void deactivate() {
        delegate().close();
    }
}
