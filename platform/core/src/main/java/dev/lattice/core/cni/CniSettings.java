package dev.lattice.core.cni;

import dev.lattice.core.internal.config.SettingValues;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the CNI server, the {@code cni:} section of lattice.yaml (PID {@code dev.lattice.cni}).
 *
 * @param socket        the unix socket the plugin connects to ({@code socket}, default {@code /run/lattice/cni.sock})
 * @param confDir       where the network configuration list is written ({@code confDir}, default {@code /etc/cni/net.d})
 * @param conflistName  its file name ({@code conflistName}, default {@code 10-lattice.conflist})
 * @param writeConflist whether to write it at all ({@code writeConflist}, default true)
 * @param networkName   the network name in it ({@code networkName}, default {@code lattice})
 * @param mtu           the pod MTU ({@code mtu}, default 1500)
 * @param portmap       whether to chain the {@code portmap} plugin for hostPort ({@code portmap}, default false)
 * @param stateDir      where attachments are recorded, {@code attachments/} below it ({@code stateDir}, default {@code /var/lib/lattice/cni})
 * @param nodeName      the node's name ({@code nodeName}, default {@code $NODE_NAME} or the host name)
 * @param fsync         fsync the conflist before renaming it into place ({@code fsync}, default true); IPAM has its own
 * @param workers       threads serving requests ({@code workers}, default 32)
 */
public record CniSettings(Path socket, Path confDir, String conflistName, boolean writeConflist, String networkName,
                          int mtu, boolean portmap, Path stateDir, String nodeName, boolean fsync, int workers) {
    public static final String PID = "dev.lattice.cni";
    public static final String DEFAULT_SOCKET = "/run/lattice/cni.sock";

    public CniSettings {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(confDir, "confDir");
        Objects.requireNonNull(stateDir, "stateDir");
        if (conflistName == null || conflistName.isBlank() || conflistName.contains("/")) {
            throw new IllegalArgumentException("cni.conflistName must be a file name, got '" + conflistName + "'");
        }
        if (networkName == null || networkName.isBlank()) {
            throw new IllegalArgumentException("cni.networkName must not be empty");
        }
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("cni.mtu " + mtu + " is outside 576..65535");
        }
        if (workers < 1 || workers > 1024) {
            throw new IllegalArgumentException("cni.workers " + workers + " is outside 1..1024");
        }
        nodeName = nodeName == null || nodeName.isBlank() ? defaultNodeName() : nodeName;
    }

    /** The defaults, with socket, conflist and state in the given directory (for tests and tools). */
    public static CniSettings inDirectory(Path dir) {
        return new CniSettings(dir.resolve("cni.sock"), dir.resolve("net.d"), "10-lattice.conflist", true, "lattice",
                1500, false, dir.resolve("state"), "", false, 32);
    }

    /** From a ConfigAdmin dictionary, defaults for absent keys; IllegalArgumentException naming a bad key. */
    public static CniSettings from(Map<String, ?> c) {
        return new CniSettings(Path.of(str(c, "socket", DEFAULT_SOCKET)), Path.of(str(c, "confDir", "/etc/cni/net.d")),
                str(c, "conflistName", "10-lattice.conflist"), SettingValues.bool(c, "cni", "writeConflist", true),
                str(c, "networkName", "lattice"), SettingValues.integer(c, "cni", "mtu", 1500), SettingValues.bool(c, "cni", "portmap", false),
                Path.of(str(c, "stateDir", "/var/lib/lattice/cni")), str(c, "nodeName", ""), SettingValues.bool(c, "cni", "fsync", true),
                SettingValues.integer(c, "cni", "workers", 32));
    }

    public CniSettings withSocket(Path value) {
        return new CniSettings(value, confDir, conflistName, writeConflist, networkName, mtu, portmap, stateDir, nodeName,
                fsync, workers);
    }

    public CniSettings withPortmap(boolean value) {
        return new CniSettings(socket, confDir, conflistName, writeConflist, networkName, mtu, value, stateDir, nodeName,
                fsync, workers);
    }

    public CniSettings withMtu(int value) {
        return new CniSettings(socket, confDir, conflistName, writeConflist, networkName, value, portmap, stateDir, nodeName,
                fsync, workers);
    }

    public CniSettings withFsync(boolean value) {
        return new CniSettings(socket, confDir, conflistName, writeConflist, networkName, mtu, portmap, stateDir, nodeName,
                value, workers);
    }

    private static String str(Map<String, ?> c, String k, String def) {
        Object v = c.get(k);
        return v == null || String.valueOf(v).isBlank() ? def : String.valueOf(v).trim();
    }

    private static String defaultNodeName() {
        String env = System.getenv("NODE_NAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
