package dev.lattice.core.internal.selection;

import dev.lattice.spi.plugin.PluginKind;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the plugin preference of a kind from the agent configuration (PID {@value #PID}). The
 * value is one name, a comma-separated list, or an array/list: the first available one wins.
 */
final class SelectionConfig {
    static final String PID = "dev.lattice.agent";
    private static final Logger LOG = System.getLogger(SelectionConfig.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private SelectionConfig() {
    }

    /** The default plugin per kind when the configuration names none. */
    static String defaultName(PluginKind kind) {
        return switch (kind) {
            case POD_NETWORK -> "linux-bridge";
            case ROUTING -> "static";
            case SERVICE_PROXY, NETWORK_POLICY -> "nftables";
        };
    }

    static List<String> names(Map<String, ?> props, PluginKind kind) {
        Object raw = props == null ? null : props.get(kind.configKey());
        List<String> out = new ArrayList<>();
        if (raw instanceof String s) {
            for (String part : s.split(",")) {
                add(out, part, kind);
            }
        } else if (raw instanceof String[] arr) {
            for (String part : arr) {
                add(out, part, kind);
            }
        } else if (raw instanceof Collection<?> c) {
            for (Object part : c) {
                add(out, String.valueOf(part), kind);
            }
        } else if (raw != null) {
            add(out, raw.toString(), kind);
        }
        if (out.isEmpty()) {
            out.add(defaultName(kind));
        }
        return out;
    }

    private static void add(List<String> out, String part, PluginKind kind) {
        String name = part == null ? "" : part.trim();
        if (name.isEmpty()) {
            return;
        }
        if (!NAME.matcher(name).matches()) {
            LOG.log(Level.ERROR, "{0}: ignoring invalid plugin name ''{1}'' in {2}: names are lower-case"
                    + " letters, digits, '.', '_' and '-'", kind.id(), name, kind.configKey());
            return;
        }
        if (!out.contains(name)) {
            out.add(name);
        }
    }
}
