package dev.lattice.spi.net;

import java.util.Objects;

/**
 * An immutable IP prefix (CIDR block) whose host bits are zero, such as {@code 10.244.1.0/24}.
 */
public final class IpPrefix implements Comparable<IpPrefix> {
    private final IpAddress network;
    private final int length;

    private IpPrefix(IpAddress network, int length) {
        this.network = network;
        this.length = length;
    }

    /**
     * The prefix of {@code length} bits that contains {@code address}; host bits are cleared.
     */
    public static IpPrefix containing(IpAddress address, int length) {
        int max = address.family().bitLength();
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + max
                    + " for " + address);
        }
        byte[] b = address.bytes();
        for (int bit = length; bit < max; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new IpPrefix(IpAddress.ofBytes(b), length);
    }

    /** A prefix from a network address whose host bits must already be zero. */
    public static IpPrefix of(IpAddress network, int length) {
        IpPrefix p = containing(network, length);
        if (!p.network.equals(network)) {
            throw new IllegalArgumentException("'" + network + "/" + length
                    + "' has host bits set; the network is " + p);
        }
        return p;
    }

    /** The prefix of exactly one address (/32 or /128). */
    public static IpPrefix host(IpAddress address) {
        return new IpPrefix(address, address.family().bitLength());
    }

    /**
     * Parses {@code address/length}. A bare address is a host prefix. Host bits must be zero:
     * {@code 10.0.0.1/24} is rejected with a message that names the network it meant.
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "prefix");
        int slash = text.indexOf('/');
        if (slash < 0) {
            return host(IpAddress.parse(text));
        }
        IpAddress addr = IpAddress.parse(text.substring(0, slash));
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return of(addr, Integer.parseInt(len));
    }

    public IpAddress network() {
        return network;
    }

    public int length() {
        return length;
    }

    public IpFamily family() {
        return network.family();
    }

    /** Whether {@code address} lies inside this prefix. */
    public boolean contains(IpAddress address) {
        return address.family() == family() && containing(address, length).network.equals(network);
    }

    /** Whether {@code other} lies entirely inside this prefix. */
    public boolean contains(IpPrefix other) {
        return other.length >= length && contains(other.network);
    }

    /** The number of host bits, {@code bitLength - length}. */
    public int hostBits() {
        return family().bitLength() - length;
    }

    /** The address at {@code index} from the network address (0 is the network address). */
    public IpAddress address(long index) {
        if (index < 0 || (hostBits() < 63 && index >= (1L << hostBits()))) {
            throw new IllegalArgumentException("index " + index + " is outside " + this);
        }
        return network.plus(index);
    }

    @Override
    public int compareTo(IpPrefix o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && p.network.equals(network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + length;
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
