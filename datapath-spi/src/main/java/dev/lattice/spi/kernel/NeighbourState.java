package dev.lattice.spi.kernel;

/** Neighbour (ARP/NDP/FDB) entry states, with their NUD_* bit values. */
public enum NeighbourState {
    INCOMPLETE(0x01), REACHABLE(0x02), STALE(0x04), DELAY(0x08), PROBE(0x10), FAILED(0x20),
    /** No ARP needed; for FDB entries on a bridge this is "static". */
    NOARP(0x40),
    /** Never expires; for FDB entries on a bridge this is "permanent" (local). */
    PERMANENT(0x80);

    private final int value;

    NeighbourState(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The state for a NUD_* bit mask: its highest known bit, or INCOMPLETE when none. */
    public static NeighbourState of(int mask) {
        NeighbourState best = INCOMPLETE;
        for (NeighbourState s : values()) {
            if ((mask & s.value) != 0) {
                best = s;
            }
        }
        return best;
    }
}
