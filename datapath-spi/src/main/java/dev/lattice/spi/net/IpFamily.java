package dev.lattice.spi.net;

/** An IP address family. */
public enum IpFamily {
    IPV4(4, 32),
    IPV6(16, 128);

    private final int byteLength;
    private final int bitLength;

    IpFamily(int byteLength, int bitLength) {
        this.byteLength = byteLength;
        this.bitLength = bitLength;
    }

    /** Number of bytes in an address of this family (4 or 16). */
    public int byteLength() {
        return byteLength;
    }

    /** Number of bits in an address of this family (32 or 128). */
    public int bitLength() {
        return bitLength;
    }
}
