package dev.lattice.core.hostpaths;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/**
 * Where the agent's host files live. Every default host path (the CNI socket under
 * {@code /run/lattice}, the conflist in {@code /etc/cni/net.d}, state under
 * {@code /var/lib/lattice}) is resolved under the framework property {@value #ROOT_PROPERTY}
 * when it is set ({@code lattice agent --root DIR}): tests and the sandbox run agents that must
 * not touch the machine's own {@code /etc} and {@code /run}. Paths given explicitly in the
 * configuration are used as they are.
 */
public final class HostPaths {
    public static final String ROOT_PROPERTY = "lattice.root";

    private HostPaths() {
    }

    /** {@code absolute} under the configured root, or as is when there is none. */
    public static Path resolve(BundleContext context, String absolute) {
        String root = context == null ? null : context.getProperty(ROOT_PROPERTY);
        if (root == null || root.isBlank()) {
            return Path.of(absolute);
        }
        return Path.of(root).resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }
}
