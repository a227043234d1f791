package com.example.lattice.dryrun;

import dev.lattice.spi.service.ServiceDataplane;
import dev.lattice.spi.service.ServiceState;
import dev.lattice.spi.service.VirtualService;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/** A service proxy that programs nothing and logs what it would. Select with {@code serviceProxy: dryrun}. */
@Component(property = {"lattice.plugin.kind=service-proxy", "lattice.plugin.name=dryrun"},
        configurationPid = "dev.lattice.plugin.dryrun")
public final class DryRunServiceProxy implements ServiceDataplane {
    private volatile boolean detail;

    @Activate
    @Modified
    void configure(Map<String, Object> config) {
        detail = DryRunLog.detail(config);
    }

    @Override
    public void sync(ServiceState desired) {
        long endpoints = desired.services().stream().mapToLong(s -> s.endpoints().size()).sum();
        DryRunLog.info("service-proxy sync: {0} service ports, {1} endpoints", desired.services().size(), endpoints);
        if (detail) {
            for (VirtualService s : desired.services()) {
                DryRunLog.info("  {0} {1}/{2} -> {3}", s.key(), s.clusterIps(), s.port(), s.endpoints());
            }
        }
    }

    @Override
    public void cleanup() {
        DryRunLog.info("service-proxy cleanup (nothing was programmed)");
    }
}
