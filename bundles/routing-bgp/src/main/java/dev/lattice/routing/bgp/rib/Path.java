package dev.lattice.routing.bgp.rib;

import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.spi.net.IpAddress;
import java.util.Objects;

/**
 * One path: a source, its (interned) attributes and, for IPv6, the MP_REACH next hop. Paths are
 * shared by every prefix a peer announced with the same attributes, so a path costs nothing per
 * prefix.
 */
public final class Path {
    private final PeerInfo source;
    private final PathAttributes attributes;
    private final IpAddress nextHop;
    private final int generation;
    private final int hash;

    public Path(PeerInfo source, PathAttributes attributes, IpAddress nextHop) {
        this.source = source;
        this.attributes = attributes;
        this.nextHop = nextHop;
        this.generation = source.generation();
        this.hash = Objects.hash(System.identityHashCode(source), attributes, nextHop, generation);
    }

    public PeerInfo source() {
        return source;
    }

    public PathAttributes attributes() {
        return attributes;
    }

    /** The next hop: the MP_REACH one if present, else NEXT_HOP. */
    public IpAddress nextHop() {
        if (nextHop != null) {
            return nextHop;
        }
        int a = attributes.nextHop();
        return IpAddress.ofBytes(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    public IpAddress mpNextHop() {
        return nextHop;
    }

    public boolean stale() {
        return generation < source.generation();
    }

    public long localPref() {
        return attributes.has(PathAttributes.LOCAL_PREF) ? attributes.localPref() : 100;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && p.source == source && p.generation == generation
                && p.attributes.equals(attributes) && Objects.equals(p.nextHop, nextHop);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "via " + nextHop() + " from " + source + " " + attributes + (stale() ? " (stale)" : "");
    }
}
