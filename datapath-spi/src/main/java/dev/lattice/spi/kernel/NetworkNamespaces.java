package dev.lattice.spi.kernel;

import dev.lattice.spi.kernel.firewall.FirewallTools;
import java.nio.file.Path;
import java.util.List;

/**
 * Network namespaces: the entry point of kernel access, registered as an OSGi service by the
 * kernel bundle. Named namespaces are compatible with iproute2: {@code create("x")} makes
 * {@code /run/netns/x}, which {@code ip netns exec x ...} enters, and the other way round.
 *
 * <p>Handles returned here are {@link AutoCloseable}: close each one you open. Closing a handle
 * never deletes the namespace; {@link #delete(String)} does.
 */
public interface NetworkNamespaces {
    /** The namespace the agent itself runs in (the host's, for a DaemonSet with hostNetwork). Never close it. */
    NetNamespace host();

    /**
     * Creates the named namespace {@code /run/netns/<name>} and opens it.
     *
     * @throws AlreadyExistsException when it exists already
     * @throws IllegalArgumentException when the name is empty, too long or contains '/', or is "." or ".."
     */
    NetNamespace create(String name);

    /** Opens the existing named namespace {@code /run/netns/<name>}; {@link NotFoundException} when absent. */
    NetNamespace open(String name);

    /** Opens a namespace by path, e.g. the CNI {@code CNI_NETNS} or {@code /proc/<pid>/ns/net}. */
    NetNamespace open(Path path);

    /**
     * Unmounts and removes {@code /run/netns/<name>}. The namespace itself disappears once no
     * process, open handle or mount keeps it. Returns false when it did not exist.
     */
    boolean delete(String name);

    /** The names under {@code /run/netns}, sorted. */
    List<String> list();

    /** Versions of the firewall tools found at start and the iptables backend, probed once. */
    FirewallTools firewallTools();
}
