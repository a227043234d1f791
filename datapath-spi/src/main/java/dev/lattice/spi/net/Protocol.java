package dev.lattice.spi.net;

/** A transport protocol a Service port or a policy port refers to. */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IANA protocol number. */
    public int number() {
        return number;
    }

    /** Parses the Kubernetes spelling ("TCP", "UDP", "SCTP"), case-insensitively. */
    public static Protocol parse(String text) {
        for (Protocol p : values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + text + "' (expected TCP, UDP or SCTP)");
    }
}
