package dev.lattice.spi.routing.overlay;

import java.util.Locale;

/** When traffic to another node's pods goes through the VXLAN overlay. */
public enum OverlayMode {
    /** Only to nodes outside this node's L2 subnet; the others get a direct route (the default). */
    CROSS_SUBNET,
    /** To every node. */
    FULL,
    /** Never: nodes outside the subnet are unreachable (and reported so). */
    NONE;

    /** {@code crossSubnet} (also the default for empty text), {@code full} or {@code none}. */
    public static OverlayMode parse(String text) {
        if (text == null || text.isBlank()) {
            return CROSS_SUBNET;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "crosssubnet", "cross-subnet", "cross_subnet":
                return CROSS_SUBNET;
            case "full", "always":
                return FULL;
            case "none", "never":
                return NONE;
            default:
                throw new IllegalArgumentException("overlay '" + text + "' is not one of crossSubnet, full, none");
        }
    }
}
