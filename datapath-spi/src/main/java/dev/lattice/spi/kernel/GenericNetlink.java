package dev.lattice.spi.kernel;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Generic netlink of one namespace: family lookup through {@code nlctrl}, and requests to any family. */
public interface GenericNetlink {
    /**
     * Looks up a family by name, e.g. {@code "IPVS"}, {@code "nlctrl"}, {@code "ethtool"}. Empty
     * when the kernel does not know it (module not loaded or not built).
     */
    Optional<GenlFamily> family(String name);

    /**
     * Sends {@code message} to {@code family} and returns the kernel's answers: for a
     * {@code dump}, every part of the multi-part answer; otherwise the answer messages (often
     * none) before the acknowledgement. The family's fixed user header, if it has one, is sent as
     * zeros and skipped in answers.
     *
     * @throws KernelException with the errno, e.g. EOPNOTSUPP for a command the family lacks
     */
    List<GenlMessage> request(GenlFamily family, GenlMessage message, boolean dump);

    /** A generic netlink message: command, version and attributes. */
    record GenlMessage(int command, int version, List<NlAttribute> attributes) {
        public GenlMessage {
            attributes = List.copyOf(attributes);
            if (command < 0 || command > 255 || version < 0 || version > 255) {
                throw new IllegalArgumentException("command and version are bytes: " + command + ", " + version);
            }
        }

        /** The first attribute of {@code type}. */
        public Optional<NlAttribute> attribute(int type) {
            return NlAttribute.find(attributes, type);
        }
    }

    /**
     * A generic netlink family: its dynamic id, version, header size, highest attribute number and
     * multicast groups (name to group id).
     */
    record GenlFamily(String name, int id, int version, int headerSize, int maxAttribute,
                      Map<String, Integer> multicastGroups) {
        public GenlFamily {
            multicastGroups = Map.copyOf(multicastGroups);
        }
    }
}
