package dev.lattice.routing.bgp.wire;

import java.util.Arrays;

/** A path attribute kept as bytes: unknown optional ones, and extended communities. */
public record RawAttribute(int flags, int type, byte[] value) {
    public static final int OPTIONAL = 0x80;
    public static final int TRANSITIVE = 0x40;
    public static final int PARTIAL = 0x20;
    public static final int EXTENDED_LENGTH = 0x10;

    public boolean optional() {
        return (flags & OPTIONAL) != 0;
    }

    public boolean transitive() {
        return (flags & TRANSITIVE) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawAttribute r && r.flags == flags && r.type == type && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return (flags * 31 + type) * 31 + Arrays.hashCode(value);
    }
}
