package dev.lattice.spi.telemetry;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A read-only JSON document a bundle serves on the agent's admin endpoint, at
 * {@code /plugins/<path>} (whiteboard: register it as a service). The {@code lattice} command
 * reads some of them, e.g. {@code lattice bgp neighbors} reads {@code /plugins/bgp/neighbors}.
 * Called on the admin endpoint's thread: answer from memory, do not block.
 *
 * @since 1.1
 */
public interface AdminResource {
    /** What a path may look like: lower-case words separated by slashes, e.g. {@code bgp/rib}. */
    Pattern PATH = Pattern.compile("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*");

    /** The path under {@code /plugins/}, matching {@link #PATH}. */
    String path();

    /**
     * The document.
     *
     * @param query the request's query parameters (first value of each)
     * @throws IllegalArgumentException for a bad parameter; its message goes back with status 400
     */
    String json(Map<String, String> query);
}
