package dev.lattice.spi.pod;

import dev.lattice.spi.kernel.KernelException;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.NetworkNamespaces;
import dev.lattice.spi.plugin.DataplaneException;
import java.nio.file.Path;

/**
 * Opening the two namespaces a pod datapath works in: the node's (the host's unless a setting
 * names another, as tests and the sandbox do) and a pod's, from CNI's {@code CNI_NETNS}.
 *
 * @since 1.2
 */
public final class DatapathNamespaces {
    private DatapathNamespaces() {
    }

    /**
     * The node namespace a datapath programs: the agent's own when {@code setting} is empty (never
     * close that one), otherwise the namespace it names, by path when it contains '/' or else by
     * name under {@code /run/netns} (the caller owns and closes it).
     */
    public static NetNamespace openNode(NetworkNamespaces netns, String setting) {
        if (setting.isEmpty()) {
            return netns.host();
        }
        return setting.contains("/") ? netns.open(Path.of(setting)) : netns.open(setting);
    }

    /** Opens a pod's namespace; a path that cannot be opened is a {@link DataplaneException} CNI reports as is. */
    public static NetNamespace openPod(NetworkNamespaces netns, String path) {
        try {
            return netns.open(Path.of(path));
        } catch (KernelException e) {
            throw new DataplaneException("cannot open the pod's network namespace " + path + ": " + e.getMessage(), e, false);
        } catch (IllegalArgumentException e) {
            throw new DataplaneException("CNI_NETNS " + path + " is not a network namespace: " + e.getMessage(), e, false);
        }
    }
}
