package dev.lattice.routing.bgp.rib;

import dev.lattice.spi.net.IpAddress;

/**
 * A route source as the decision process sees it. {@link #LOCAL} is this speaker's own routes.
 * The generation counts graceful restarts: paths of an older generation are stale (RFC 4724).
 */
public final class PeerInfo {
    public static final PeerInfo LOCAL = new PeerInfo("local", IpAddress.parse("0.0.0.0"), 0, false, false);

    private final String name;
    private final IpAddress address;
    private final long localAs;
    private final boolean ibgpHint;
    private final boolean rrClient;
    volatile long remoteAs;
    volatile int bgpId;
    volatile boolean ibgp;
    volatile int generation;

    public PeerInfo(String name, IpAddress address, long localAs, boolean ibgp, boolean rrClient) {
        this.name = name;
        this.address = address;
        this.localAs = localAs;
        this.ibgpHint = ibgp;
        this.ibgp = ibgp;
        this.rrClient = rrClient;
    }

    public String name() {
        return name;
    }

    public IpAddress address() {
        return address;
    }

    public boolean isLocal() {
        return this == LOCAL;
    }

    public boolean ibgp() {
        return ibgp;
    }

    public boolean rrClient() {
        return rrClient;
    }

    public long remoteAs() {
        return remoteAs;
    }

    public long localAs() {
        return localAs;
    }

    public int bgpId() {
        return bgpId;
    }

    public int generation() {
        return generation;
    }

    /** Called when the session comes up. */
    public void established(long remoteAs, int bgpId) {
        this.remoteAs = remoteAs;
        this.bgpId = bgpId;
        this.ibgp = remoteAs == localAs || ibgpHint && remoteAs == 0;
    }

    /** Marks every path learned so far as stale. */
    public void newGeneration() {
        generation++;
    }

    @Override
    public String toString() {
        return name;
    }
}
