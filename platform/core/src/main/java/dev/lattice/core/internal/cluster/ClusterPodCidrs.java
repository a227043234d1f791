package dev.lattice.core.internal.cluster;

import dev.lattice.cluster.api.ClusterNode;
import dev.lattice.cluster.api.ClusterState;
import dev.lattice.core.ipam.IpamComponent;
import dev.lattice.core.ipam.PodCidrSource;
import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * IPAM's pod CIDRs from this node's Node object ({@code spec.podCIDRs}, or the
 * {@code lattice.dev/pod-cidrs} annotation). {@code ipam.podCidrs} in lattice.yaml is the fallback while
 * the Node has none (or there is no cluster).
 */
@Component(service = PodCidrSource.class, immediate = true)
public final class ClusterPodCidrs implements PodCidrSource {
    private final ClusterState cluster;
    private final ClusterState.Subscription subscription;
    private volatile List<IpPrefix> last = List.of();

    /**
     * Optional and dynamic: IPAM binds every PodCidrSource, so a mandatory reference back to it
     * would be a cycle Declarative Services cannot activate.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile IpamComponent ipam;

    @Activate
    public ClusterPodCidrs(@Reference ClusterState cluster) {
        this.cluster = cluster;
        this.subscription = cluster.subscribe((snapshot, changes) -> {
            List<IpPrefix> now = podCidrs();
            IpamComponent i = ipam;
            if (!Objects.equals(now, last)) {
                last = now;
                if (i != null) {
                    i.podCidrsChanged();
                }
            }
        });
    }

    @Deactivate
    void deactivate() {
        subscription.close();
    }

    @Override
    public List<IpPrefix> podCidrs() {
        return cluster.snapshot().localNode().map(ClusterNode::podCidrs).orElse(List.of());
    }
}
