package dev.lattice.spi.pod;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CNI ADD as the core hands it to a datapath, after IPAM has chosen the addresses.
 *
 * @param containerId  CNI_CONTAINERID
 * @param netnsPath    CNI_NETNS, the pod's network namespace path
 * @param ifName       CNI_IFNAME, the interface name inside the pod (e.g. eth0)
 * @param podNamespace the pod's namespace (from CNI_ARGS K8S_POD_NAMESPACE; may be empty)
 * @param podName      the pod's name (from CNI_ARGS K8S_POD_NAME; may be empty)
 * @param addresses    the addresses IPAM allocated, one per family
 * @param mtu          the pod interface MTU
 * @param args         further runtime arguments (CNI_ARGS pairs, runtimeConfig entries)
 */
public record AttachRequest(String containerId, String netnsPath, String ifName, String podNamespace,
                            String podName, List<InterfaceAddress> addresses, int mtu,
                            Map<String, String> args) {
    public AttachRequest {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(netnsPath, "netnsPath");
        Objects.requireNonNull(ifName, "ifName");
        podNamespace = podNamespace == null ? "" : podNamespace;
        podName = podName == null ? "" : podName;
        addresses = List.copyOf(addresses);
        args = Map.copyOf(args);
    }
}
