package dev.lattice.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the BGP plugin's admin documents ({@code /plugins/bgp/neighbors}, {@code .../rib}) as
 * the tables {@code lattice bgp neighbors|rib} print by default; {@code --json} prints the
 * documents as they are, for scripts.
 */
final class BgpTables {
    private BgpTables() {
    }

    /** One row per session: who, state and for how long, prefixes and updates both ways. */
    static String neighbors(String json, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PEER", "ADDRESS", "AS", "STATE", "FOR", "RECEIVED", "ADVERTISED", "UPDATES IN/OUT", "LAST ERROR"));
        for (Map<String, Object> n : list(json)) {
            rows.add(List.of(text(n, "name"), text(n, "address"), text(n, "remoteAs"), text(n, "state"),
                    age(text(n, "since"), now), text(n, "prefixesReceived"), text(n, "prefixesAdvertised"),
                    text(n, "updatesIn") + "/" + text(n, "updatesOut"), text(n, "lastError")));
        }
        return table(rows);
    }

    /** One row per path; the first path of a prefix is the best one and carries the prefix. */
    static String rib(String json) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PREFIX", "PATH (best first)"));
        for (Map<String, Object> e : list(json)) {
            Object paths = e.get("paths");
            List<?> all = paths instanceof List<?> l ? l : List.of();
            for (int i = 0; i < all.size(); i++) {
                rows.add(List.of(i == 0 ? text(e, "prefix") : "", (i == 0 ? "* " : "  ") + all.get(i)));
            }
        }
        return table(rows);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String json) {
        Object doc = new Yaml(new LoaderOptions()).load(json); // JSON is YAML; the documents are small
        if (!(doc instanceof List<?> l)) {
            throw new IllegalArgumentException("expected a JSON list from the agent, got: "
                    + json.substring(0, Math.min(200, json.length())));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    private static String age(String since, Instant now) {
        try {
            Duration d = Duration.between(Instant.parse(since), now);
            if (d.isNegative()) {
                return "0s";
            }
            long s = d.toSeconds();
            return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static String table(List<List<String>> rows) {
        int[] width = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i)).append(" ".repeat(i == r.size() - 1 ? 0 : width[i] - r.get(i).length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
