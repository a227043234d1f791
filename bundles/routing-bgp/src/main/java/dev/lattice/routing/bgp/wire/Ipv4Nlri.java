package dev.lattice.routing.bgp.wire;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The IPv4 prefixes of an UPDATE's NLRI or withdrawn-routes field as decoded: an immutable list
 * that holds each prefix as its {@link Prefix#v4Key()} and makes a {@code Prefix} only when asked.
 * The RIB takes the keys as they are, so receiving a table allocates nothing per prefix.
 */
public final class Ipv4Nlri extends AbstractList<Prefix> implements RandomAccess {
    private final long[] keys;
    private final int size;

    Ipv4Nlri(long[] keys, int size) {
        this.keys = keys;
        this.size = size;
    }

    @Override
    public Prefix get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return Prefix.fromV4Key(keys[i]);
    }

    @Override
    public int size() {
        return size;
    }

    /** The key of prefix {@code i}. */
    public long key(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return keys[i];
    }

    /** The keys, {@code [0, size())} valid; shared, not a copy: callers must not change it. */
    public long[] keys() {
        return keys;
    }
}
