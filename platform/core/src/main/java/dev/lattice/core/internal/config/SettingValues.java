package dev.lattice.core.internal.config;

import java.util.Locale;
import java.util.Map;

/**
 * Typed values of a lattice.yaml section as ConfigAdmin hands them over (strings, or numbers and
 * booleans): a value that is not what the key needs is an {@link IllegalArgumentException} naming
 * {@code section.key}, so an operator's typo is reported, never silently replaced by a default.
 */
public final class SettingValues {
    private SettingValues() {
    }

    public static boolean bool(Map<String, ?> config, String section, String key, boolean fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(section + "." + key + " must be true or false, got '" + v + "'");
        }
        return s.equals("true");
    }

    public static int integer(Map<String, ?> config, String section, String key, int fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(section + "." + key + " must be a number, got '" + v + "'", e);
        }
    }
}
