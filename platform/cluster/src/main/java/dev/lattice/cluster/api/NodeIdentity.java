package dev.lattice.cluster.api;

import java.util.Objects;

/**
 * Which node this agent is, and where that name came from.
 *
 * @param nodeName the Kubernetes node name
 * @param source   where it was found
 */
public record NodeIdentity(String nodeName, Source source) {
    /** In order of precedence. */
    public enum Source {
        /** {@code kubernetes.nodeName} in lattice.yaml (the {@code --node-name} flag lands there too). */
        CONFIG,
        /** The {@code NODE_NAME} environment variable (the DaemonSet sets it from {@code spec.nodeName}). */
        ENVIRONMENT,
        /** The host name, lower-cased. */
        HOSTNAME
    }

    public NodeIdentity {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(source, "source");
    }
}
