package dev.lattice.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The user's configuration: {@code lattice.yaml}, then environment variables, then command-line
 * {@code --set key=value} flags (later wins), turned into ConfigAdmin configurations:
 * <ul>
 *   <li>top-level settings ({@code podNetwork}, {@code routing}, ...) go to PID {@code dev.lattice.agent};</li>
 *   <li>each section ({@code admin:}, {@code kubernetes:}) to PID {@code dev.lattice.<section>},
 *       nested keys flattened with dots;</li>
 *   <li>{@code plugins.<name>:} to PID {@code dev.lattice.plugin.<name>}, read by that plugin.</li>
 * </ul>
 * Unknown top-level keys and sections are errors, so that a typo is not silently ignored.
 */
public final class AgentConfig {
    public static final String AGENT_PID = "dev.lattice.agent";
    /** Top-level scalar settings and what they mean (for messages and the docs). */
    static final Map<String, String> TOP_LEVEL = orderedMap(
            "podNetwork", "pod networking plugin",
            "routing", "route distribution plugin",
            "serviceProxy", "service proxy plugin",
            "networkPolicy", "network policy plugin",
            "nodeName", "this node's Kubernetes name",
            "logLevel", "log level: error, warning, info, debug");
    /** Sections known to this version; each is one ConfigAdmin PID. */
    static final Set<String> SECTIONS = Set.of("admin", "kubernetes", "plugins", "cni", "ipam", "fib", "advertise");

    private final Map<String, Object> tree;

    private AgentConfig(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** Reads {@code file} (which may be absent: an empty configuration) and applies overrides. */
    public static AgentConfig load(Path file, Map<String, String> overrides) throws ConfigException {
        Map<String, Object> tree = new LinkedHashMap<>();
        if (file != null) {
            try {
                tree = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (NoSuchFileException e) {
                throw new ConfigException("configuration file " + file + " does not exist; pass --config FILE"
                        + " or create it (the distribution ships etc/lattice.yaml)");
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            set(tree, o.getKey(), o.getValue());
        }
        AgentConfig config = new AgentConfig(tree);
        config.validate(file == null ? "the configuration" : file.toString());
        return config;
    }

    static Map<String, Object> parse(String text, String source) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Object doc;
        try {
            doc = yaml.load(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(source + ": not valid YAML at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new ConfigException(source + ": the top level must be a mapping of settings, not "
                    + describe(doc));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    /** Sets a dotted key such as {@code admin.port} or {@code plugins.linux-bridge.bridge}. */
    @SuppressWarnings("unchecked")
    static void set(Map<String, Object> tree, String dottedKey, String value) throws ConfigException {
        String[] parts = dottedKey.split("\\.");
        if (parts.length == 0 || dottedKey.isBlank()) {
            throw new ConfigException("empty setting name in override '" + dottedKey + "=" + value + "'");
        }
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.get(parts[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(parts[i], child);
            } else if (!(child instanceof Map)) {
                throw new ConfigException("cannot set '" + dottedKey + "': '" + parts[i] + "' is not a section");
            }
            node = (Map<String, Object>) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    private void validate(String source) throws ConfigException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (TOP_LEVEL.containsKey(key)) {
                if (v instanceof Map) {
                    problems.add("'" + key + "' is a single setting (" + TOP_LEVEL.get(key) + "), not a section");
                }
            } else if (SECTIONS.contains(key)) {
                if (v != null && !(v instanceof Map)) {
                    problems.add("'" + key + "' must be a section (key: value lines indented below it), not "
                            + describe(v));
                }
                if ("plugins".equals(key) && v instanceof Map<?, ?> plugins) {
                    for (Map.Entry<?, ?> p : plugins.entrySet()) {
                        if (p.getValue() != null && !(p.getValue() instanceof Map)) {
                            problems.add("'plugins." + p.getKey() + "' must be a section of that plugin's settings");
                        }
                    }
                }
            } else {
                problems.add("unknown setting '" + key + "' (settings: " + String.join(", ", TOP_LEVEL.keySet())
                        + "; sections: " + String.join(", ", new TreeMap<>(asMap(SECTIONS)).keySet()) + ")");
            }
        }
        Object level = tree.get("logLevel");
        if (level != null && !Set.of("error", "warning", "info", "debug").contains(level.toString().toLowerCase(Locale.ROOT))) {
            problems.add("logLevel '" + level + "' is not one of error, warning, info, debug");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", problems));
        }
    }

    private static Map<String, Object> asMap(Set<String> keys) {
        Map<String, Object> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, ""));
        return m;
    }

    /** A top-level setting as text, or {@code fallback}. */
    public String scalar(String key, String fallback) {
        Object v = tree.get(key);
        return v == null || v instanceof Map ? fallback : v.toString();
    }

    /** The ConfigAdmin configurations this configuration stands for, by PID. */
    public Map<String, Map<String, Object>> toConfigurations() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Map<String, Object> agent = new TreeMap<>();
        for (String key : TOP_LEVEL.keySet()) {
            Object v = tree.get(key);
            if (v != null) {
                agent.put(key, value(v));
            }
        }
        out.put(AGENT_PID, agent);
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> section)) {
                continue;
            }
            if ("plugins".equals(e.getKey())) {
                for (Map.Entry<?, ?> p : section.entrySet()) {
                    Map<String, Object> props = new TreeMap<>();
                    if (p.getValue() instanceof Map<?, ?> settings) {
                        flatten("", settings, props);
                    }
                    out.put("dev.lattice.plugin." + p.getKey(), props);
                }
            } else {
                Map<String, Object> props = new TreeMap<>();
                flatten("", section, props);
                out.put("dev.lattice." + e.getKey(), props);
            }
        }
        // The node identity is needed by the cluster layer as well as by the agent.
        Object node = tree.get("nodeName");
        if (node != null) {
            out.computeIfAbsent("dev.lattice.kubernetes", k -> new TreeMap<>()).putIfAbsent("nodeName", node.toString());
        }
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (e.getValue() != null) {
                out.put(key, value(e.getValue()));
            }
        }
    }

    /** ConfigAdmin accepts scalars and arrays of them: lists become String arrays. */
    private static Object value(Object v) {
        if (v instanceof List<?> list) {
            String[] arr = new String[list.size()];
            for (int i = 0; i < arr.length; i++) {
                arr[i] = String.valueOf(list.get(i));
            }
            return arr;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Boolean || v instanceof String
                || v instanceof Double) {
            return v;
        }
        return v.toString();
    }

    private static String describe(Object v) {
        if (v instanceof List) {
            return "a list";
        }
        return "the value '" + v + "'";
    }

    /**
     * Overrides from the environment: {@code LATTICE_SERVICE_PROXY=iptables} sets
     * {@code serviceProxy}, {@code LATTICE_ADMIN__PORT=9999} sets {@code admin.port} (a double
     * underscore separates a section from its key); {@code NODE_NAME} sets {@code nodeName}.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        Set<String> launcherOwn = Set.of("LATTICE_HOME", "LATTICE_OPTS", "LATTICE_CONFIG", "LATTICE_JAVA");
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("LATTICE_") && !launcherOwn.contains(name)) {
                String[] parts = name.substring("LATTICE_".length()).split("__");
                StringBuilder key = new StringBuilder();
                for (String part : parts) {
                    if (key.length() > 0) {
                        key.append('.');
                    }
                    key.append(camel(part));
                }
                out.put(key.toString(), e.getValue());
            }
        }
        String node = env.get("NODE_NAME");
        if (node != null && !node.isBlank()) {
            out.put("nodeName", node.trim());
        }
        return out;
    }

    static String camel(String upperSnake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
