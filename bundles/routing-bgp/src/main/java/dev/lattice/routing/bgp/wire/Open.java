package dev.lattice.routing.bgp.wire;

import java.util.List;

/**
 * OPEN. {@code asField} is the 2-octet My Autonomous System field (AS_TRANS for large ASes); the
 * real AS is in the 4-octet-AS capability ({@link #effectiveAs()}).
 *
 * @param oneParameter whether all capabilities travel in one optional parameter (re-encoding keeps
 *                     the sender's choice) or one parameter each
 */
public record Open(int version, int asField, int holdTime, int bgpId, List<Capability> capabilities,
                   boolean oneParameter) implements Message {
    public Open {
        capabilities = List.copyOf(capabilities);
    }

    /** Builds our OPEN: AS_TRANS in the 2-octet field when the AS needs four octets. */
    public static Open of(long as, int holdTime, int bgpId, List<Capability> caps) {
        int field = as > 0xffff ? AsPath.AS_TRANS : (int) as;
        return new Open(4, field, holdTime, bgpId, caps, false);
    }

    public Capabilities parsed() {
        return Capabilities.of(capabilities);
    }

    public long effectiveAs() {
        long as4 = parsed().as4();
        return as4 >= 0 ? as4 : asField;
    }

    @Override
    public int type() {
        return OPEN;
    }
}
