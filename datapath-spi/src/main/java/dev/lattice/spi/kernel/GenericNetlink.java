package dev.lattice.spi.kernel;

import java.util.Optional;

/** Generic netlink (the controller {@code nlctrl}) of one namespace. */
public interface GenericNetlink {
    /**
     * Looks up a family by name, e.g. {@code "IPVS"}, {@code "nlctrl"}, {@code "ethtool"}. Empty
     * when the kernel does not know it (module not loaded or not built).
     */
    Optional<GenlFamily> family(String name);

    /**
     * A generic netlink family: its dynamic id, version, header size, highest attribute number and
     * multicast groups (name to group id).
     */
    record GenlFamily(String name, int id, int version, int headerSize, int maxAttribute,
                      java.util.Map<String, Integer> multicastGroups) {
        public GenlFamily {
            multicastGroups = java.util.Map.copyOf(multicastGroups);
        }
    }
}
