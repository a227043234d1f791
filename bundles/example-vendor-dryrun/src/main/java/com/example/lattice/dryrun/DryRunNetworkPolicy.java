package com.example.lattice.dryrun;

import dev.lattice.spi.policy.PodPolicy;
import dev.lattice.spi.policy.PolicyDataplane;
import dev.lattice.spi.policy.PolicyState;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/** A policy dataplane that enforces nothing and logs what it would. Select with {@code networkPolicy: dryrun}. */
@Component(property = {"lattice.plugin.kind=network-policy", "lattice.plugin.name=dryrun"},
        configurationPid = "dev.lattice.plugin.dryrun")
public final class DryRunNetworkPolicy implements PolicyDataplane {
    private volatile boolean detail;

    @Activate
    @Modified
    void configure(Map<String, Object> config) {
        detail = DryRunLog.detail(config);
    }

    @Override
    public void sync(PolicyState desired) {
        DryRunLog.info("network-policy sync: {0} selected pods", desired.pods().size());
        if (detail) {
            for (PodPolicy p : desired.pods()) {
                DryRunLog.info("  {0}: ingress {1} rules (isolated {2}), egress {3} rules (isolated {4})",
                        p.pod().key(), p.ingress().size(), p.ingressIsolated(), p.egress().size(), p.egressIsolated());
            }
        }
    }

    @Override
    public void cleanup() {
        DryRunLog.info("network-policy cleanup (nothing was programmed)");
    }
}
