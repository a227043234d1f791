package dev.lattice.spi.node;

import dev.lattice.spi.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod as plugins see it.
 *
 * @param namespace   the pod's namespace
 * @param name        the pod's name
 * @param uid         the pod's UID (empty when not known, e.g. in a CNI call without it)
 * @param nodeName    the node it runs on
 * @param ips         its addresses ({@code status.podIPs})
 * @param labels      its labels
 * @param hostNetwork whether it uses the node's network namespace
 */
public record PodInfo(String namespace, String name, String uid, String nodeName, List<IpAddress> ips,
                      Map<String, String> labels, boolean hostNetwork) {
    public PodInfo {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        nodeName = nodeName == null ? "" : nodeName;
        ips = List.copyOf(ips);
        labels = Map.copyOf(labels);
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }
}
