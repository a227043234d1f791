package dev.lattice.cluster.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code dev.lattice.kubernetes} configuration (the {@code kubernetes:} section of
 * lattice.yaml). Values may arrive as strings, booleans or numbers.
 *
 * @param apiServer             API server URL; when set it wins over kubeconfig and in-cluster
 * @param kubeconfig            path of a kubeconfig file (its current context is used)
 * @param inCluster             TRUE/FALSE, or null for auto (in-cluster when KUBERNETES_SERVICE_HOST is set)
 * @param insecureSkipTlsVerify trust any server certificate
 * @param tokenFile             a bearer token file for {@code apiServer} (read at every connect)
 * @param resyncSeconds         relist everything this often (0: never; watches keep state current)
 * @param nodeName              this node's name (else NODE_NAME, else the host name)
 * @param snapshotIntervalMillis minimum time between two published snapshots
 */
record ClusterConfig(String apiServer, String kubeconfig, Boolean inCluster, boolean insecureSkipTlsVerify,
                     String tokenFile, long resyncSeconds, String nodeName, long snapshotIntervalMillis) {
    static final String PID = "dev.lattice.kubernetes";
    static final long DEFAULT_SNAPSHOT_INTERVAL_MILLIS = 50;

    static ClusterConfig from(Map<String, ?> p) {
        Map<String, ?> m = p == null ? Map.of() : p;
        return new ClusterConfig(text(m.get("apiServer")), text(m.get("kubeconfig")), tri(m.get("inCluster")),
                bool(m.get("insecureSkipTlsVerify")), text(m.get("tokenFile")), number(m.get("resyncSeconds"), 0),
                text(m.get("nodeName")), number(m.get("snapshotIntervalMillis"), DEFAULT_SNAPSHOT_INTERVAL_MILLIS));
    }

    /** Whether the agent should use in-cluster configuration (given the environment). */
    boolean useInCluster(Map<String, String> env) {
        if (inCluster != null) {
            return inCluster;
        }
        String host = env.get("KUBERNETES_SERVICE_HOST");
        return host != null && !host.isEmpty();
    }

    /** Whether any cluster is configured at all. */
    boolean configured(Map<String, String> env) {
        return !apiServer.isEmpty() || !kubeconfig.isEmpty() || useInCluster(env);
    }

    /** Whether switching from {@code other} to this means another cluster (forget the state). */
    boolean sameCluster(ClusterConfig other) {
        return other != null && Objects.equals(apiServer, other.apiServer) && Objects.equals(kubeconfig, other.kubeconfig)
                && Objects.equals(inCluster, other.inCluster);
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString().trim();
    }

    private static boolean bool(Object o) {
        Boolean b = tri(o);
        return b != null && b;
    }

    private static Boolean tri(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        String s = o.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "", "auto" -> null;
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true, false or auto, got '" + o + "'");
        };
    }

    private static long number(Object o, long dflt) {
        if (o == null || o.toString().isBlank()) {
            return dflt;
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(o.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + o + "'");
        }
    }
}
