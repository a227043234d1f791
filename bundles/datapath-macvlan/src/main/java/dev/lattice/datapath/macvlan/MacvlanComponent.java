package dev.lattice.datapath.macvlan;

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

/** The macvlan datapath as an OSGi service; settings from {@code plugins.macvlan:}. */
@Component(service = PodNetworkDatapath.class, configurationPid = "dev.lattice.plugin.macvlan",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"lattice.plugin.kind=pod-network", "lattice.plugin.name=macvlan"})
public final class MacvlanComponent extends DelegatingPodNetworkDatapath<MacvlanDatapath> {
    @Reference
    private NetworkNamespaces netns;

    @Activate
    void activate(Map<String, Object> config) {
        replace(new MacvlanDatapath(netns, MacvlanSettings.from(config)));
    }

    @Modified
    void modified(Map<String, Object> config) {
        replace(new MacvlanDatapath(netns, MacvlanSettings.from(config))).close();
    }

    @Deactivate
    void deactivate() {
        delegate().close();
    }
}
