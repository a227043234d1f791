package dev.lattice.core.ipam;

import dev.lattice.spi.plugin.DataplaneException;

/** An IPAM failure; {@link #exhausted()} tells a full pool from other problems. */
public final class IpamException extends DataplaneException {
    private static final long serialVersionUID = 1L;
    private final boolean exhausted;

    public IpamException(String message, boolean exhausted, Throwable cause) {
        super(message, cause, false);
        this.exhausted = exhausted;
    }

    public boolean exhausted() {
        return exhausted;
    }
}
