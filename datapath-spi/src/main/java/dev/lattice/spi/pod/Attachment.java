package dev.lattice.spi.pod;

import dev.lattice.spi.net.MacAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod attachment a datapath made. The core stores it (with the datapath's name) and hands it
 * back for CHECK and DEL, so a DEL reaches the datapath that made the attachment even after the
 * configuration has selected another one.
 *
 * @param containerId   CNI_CONTAINERID
 * @param netnsPath     the pod's network namespace path
 * @param ifName        the interface name inside the pod
 * @param datapath      the {@code lattice.plugin.name} of the datapath that made it
 * @param hostInterface the node-side interface (veth peer, macvlan...) or empty when there is none
 * @param podMac        the MAC address of the pod interface, when it has one
 * @param addresses     the pod interface's addresses
 * @param details       datapath-specific facts it needs to undo the attachment (e.g. a VF index)
 */
public record Attachment(String containerId, String netnsPath, String ifName, String datapath,
                         String hostInterface, MacAddress podMac, List<InterfaceAddress> addresses,
                         Map<String, String> details) {
    public Attachment {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(netnsPath, "netnsPath");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(datapath, "datapath");
        hostInterface = hostInterface == null ? "" : hostInterface;
        addresses = List.copyOf(addresses);
        details = Map.copyOf(details);
    }
}
