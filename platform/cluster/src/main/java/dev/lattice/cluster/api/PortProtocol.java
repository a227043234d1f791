package dev.lattice.cluster.api;

import java.util.Locale;

/** A Kubernetes port protocol; TCP when the object does not say. */
public enum PortProtocol {
    TCP, UDP, SCTP;

    /** Parses {@code TCP}/{@code UDP}/{@code SCTP} (any case); null or empty means TCP. */
    public static PortProtocol parse(String text) {
        if (text == null || text.isEmpty()) {
            return TCP;
        }
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
