package com.example.lattice.dryrun;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * Settings shared by the dry-run plugins (ConfigAdmin PID {@code dev.lattice.plugin.dryrun}, i.e.
 * {@code plugins.dryrun:} in lattice.yaml): {@code detail: true} logs every object, not only counts.
 */
final class DryRunLog {
    private static final Logger LOG = System.getLogger("com.example.lattice.dryrun");

    private DryRunLog() {
    }

    static boolean detail(Map<String, Object> config) {
        Object v = config == null ? null : config.get("detail");
        return v != null && Boolean.parseBoolean(v.toString());
    }

    static void info(String format, Object... args) {
        LOG.log(Level.INFO, format, args);
    }
}
