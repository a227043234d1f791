package dev.lattice.spi.routing.overlay;

import dev.lattice.spi.net.IpFamily;
import java.util.Map;

/**
 * The overlay settings a route distributor reads from its plugin section, under the same keys in
 * every plugin that has an overlay: {@code overlay} ({@code crossSubnet} | {@code full} |
 * {@code none}), {@code vxlanId}, {@code vxlanPort}, {@code vxlanDevice}, {@code vxlanDevice6}.
 *
 * @param mode    when to use the overlay
 * @param vni     the VXLAN network identifier, the same on every node
 * @param port    the VXLAN UDP port, the same on every node
 * @param device4 the device over the IPv4 underlay
 * @param device6 the device over the IPv6 underlay
 */
public record OverlaySettings(OverlayMode mode, int vni, int port, String device4, String device6) {
    public static final OverlaySettings DEFAULTS = new OverlaySettings(OverlayMode.CROSS_SUBNET, 4096, 4789,
            "lattice-vxlan", "lattice-vxlan6");

    public OverlaySettings {
        if (vni < 1 || vni > 0xffffff) {
            throw new IllegalArgumentException("vxlanId " + vni + " is outside 1..16777215");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("vxlanPort " + port + " is outside 1..65535");
        }
    }

    /** From a plugin's configuration; a bad value is an {@link IllegalArgumentException} naming the key. */
    public static OverlaySettings parse(Map<String, ?> config) {
        Object mode = config.get("overlay");
        return new OverlaySettings(OverlayMode.parse(mode == null ? null : mode.toString()),
                number(config, "vxlanId", DEFAULTS.vni), number(config, "vxlanPort", DEFAULTS.port),
                text(config, "vxlanDevice", DEFAULTS.device4), text(config, "vxlanDevice6", DEFAULTS.device6));
    }

    public String device(IpFamily family) {
        return family == IpFamily.IPV4 ? device4 : device6;
    }

    private static int number(Map<String, ?> config, String key, int fallback) {
        Object v = config.get(key);
        try {
            return v == null || v.toString().isBlank() ? fallback : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a number");
        }
    }

    private static String text(Map<String, ?> config, String key, String fallback) {
        Object v = config.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }
}
