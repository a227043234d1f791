/**
 * How plugins are registered and how they report failure. A plugin registers its contract as an
 * OSGi service with the properties {@link dev.lattice.spi.plugin.PluginProperties#KIND} and
 * {@link dev.lattice.spi.plugin.PluginProperties#NAME}.
 */
package dev.lattice.spi.plugin;
