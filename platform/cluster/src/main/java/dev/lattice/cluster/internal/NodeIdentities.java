package dev.lattice.cluster.internal;

import dev.lattice.cluster.api.NodeIdentity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/** Resolves the node's name: configuration, else {@code NODE_NAME}, else the host name. */
final class NodeIdentities {
    private NodeIdentities() {
    }

    static NodeIdentity resolve(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return new NodeIdentity(configured.trim(), NodeIdentity.Source.CONFIG);
        }
        String fromEnv = env.get("NODE_NAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new NodeIdentity(fromEnv.trim(), NodeIdentity.Source.ENVIRONMENT);
        }
        return new NodeIdentity(hostName(env), NodeIdentity.Source.HOSTNAME);
    }

    private static String hostName(Map<String, String> env) {
        String h = env.get("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                h = "localhost";
            }
        }
        return h.trim().toLowerCase(Locale.ROOT);
    }
}
