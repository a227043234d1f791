package dev.lattice.routing.bgp.wire;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.IpPrefix;

/**
 * An IPv4 or IPv6 prefix held in two longs, host bits always zero. IPv4 prefixes pack into one
 * long ({@link #v4Key()}), which the RIB uses as a table key without any object per prefix.
 */
public final class Prefix implements Comparable<Prefix> {
    private final boolean v6;
    private final long hi;
    private final long lo;
    private final int len;

    private Prefix(boolean v6, long hi, long lo, int len) {
        this.v6 = v6;
        this.hi = hi;
        this.lo = lo;
        this.len = len;
    }

    public static Prefix v4(int address, int len) {
        if (len < 0 || len > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + len);
        }
        long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
        return new Prefix(false, 0, (address & 0xffffffffL) & mask, len);
    }

    public static Prefix v6(long hi, long lo, int len) {
        if (len < 0 || len > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + len);
        }
        long hm = len >= 64 ? -1L : (len == 0 ? 0 : -1L << (64 - len));
        long lm = len <= 64 ? 0 : (len == 128 ? -1L : -1L << (128 - len));
        return new Prefix(true, hi & hm, lo & lm, len);
    }

    /** From the prefix octets as on the wire ({@code (len+7)/8} bytes). */
    static Prefix fromWire(boolean v6, int len, byte[] b, int off, int n) {
        long hi = 0;
        long lo = 0;
        if (!v6) {
            for (int i = 0; i < 4; i++) {
                lo = (lo << 8) | (i < n ? b[off + i] & 0xff : 0);
            }
            return v4((int) lo, len);
        }
        for (int i = 0; i < 16; i++) {
            int v = i < n ? b[off + i] & 0xff : 0;
            if (i < 8) {
                hi = (hi << 8) | v;
            } else {
                lo = (lo << 8) | v;
            }
        }
        return v6(hi, lo, len);
    }

    public static Prefix fromV4Key(long key) {
        return new Prefix(false, 0, key >>> 8, (int) (key & 0xff));
    }

    public static Prefix of(IpPrefix p) {
        byte[] b = p.network().bytes();
        return fromWire(!p.network().isIpv4(), p.length(), b, 0, b.length);
    }

    public static Prefix parse(String text) {
        return of(IpPrefix.parse(text));
    }

    public boolean isV6() {
        return v6;
    }

    public int length() {
        return len;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    /** The IPv4 network address as an int. */
    public int v4Address() {
        return (int) lo;
    }

    /** IPv4 only: address in bits 8..39, length in bits 0..7. */
    public long v4Key() {
        return (lo << 8) | len;
    }

    public Family family() {
        return v6 ? Family.IPV6_UNICAST : Family.IPV4_UNICAST;
    }

    byte[] addressBytes() {
        byte[] out = new byte[v6 ? 16 : 4];
        if (!v6) {
            for (int i = 0; i < 4; i++) {
                out[i] = (byte) (lo >>> (24 - 8 * i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (hi >>> (56 - 8 * i));
                out[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        return out;
    }

    /** Writes length octet plus the significant address octets. */
    void write(Writer w) {
        w.u8(len);
        w.bytes(addressBytes(), 0, (len + 7) / 8);
    }

    public int wireSize() {
        return 1 + (len + 7) / 8;
    }

    public IpPrefix toIpPrefix() {
        return IpPrefix.of(IpAddress.ofBytes(addressBytes()), len);
    }

    @Override
    public int compareTo(Prefix o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) {
            c = Long.compareUnsigned(lo, o.lo);
        }
        return c != 0 ? c : Integer.compare(len, o.len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.v6 == v6 && p.hi == hi && p.lo == lo && p.len == len;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + len + (v6 ? 1000 : 0);
    }

    @Override
    public String toString() {
        return toIpPrefix().toString();
    }
}
