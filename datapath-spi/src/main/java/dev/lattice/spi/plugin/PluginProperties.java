package dev.lattice.spi.plugin;

/** Service properties every plugin registration carries. */
public final class PluginProperties {
    /** The plugin kind, one of {@link PluginKind#id()}. */
    public static final String KIND = "lattice.plugin.kind";
    /** The plugin's name as configuration refers to it, e.g. {@code nftables}. */
    public static final String NAME = "lattice.plugin.name";
    /** The reserved name that selects no plugin for a kind. */
    public static final String NONE = "none";
    /** Prefix of the ConfigAdmin PID that carries a plugin's own settings: {@code dev.lattice.plugin.<name>}. */
    public static final String CONFIG_PID_PREFIX = "dev.lattice.plugin.";

    private PluginProperties() {
    }
}
