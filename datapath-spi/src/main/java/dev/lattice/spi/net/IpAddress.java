package dev.lattice.spi.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An immutable IPv4 or IPv6 address. Parsing accepts literals only and never consults DNS;
 * {@link #toString()} gives the canonical text form (dotted quad, or RFC 5952 for IPv6).
 */
public final class IpAddress implements Comparable<IpAddress> {
    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** An address from its network-order bytes (4 or 16 of them). */
    public static IpAddress ofBytes(byte[] bytes) {
        if (bytes == null || (bytes.length != 4 && bytes.length != 16)) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new IpAddress(bytes.clone());
    }

    /** The address of a {@link InetAddress} (no lookup is made). */
    public static IpAddress of(InetAddress address) {
        return new IpAddress(address.getAddress());
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal (no zone, no brackets).
     *
     * @throws IllegalArgumentException naming the text when it is not an address literal
     */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        return new IpAddress(parseV4(text));
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static IpAddress parseV6(String text) {
        // Restrict the alphabet first so that InetAddress only ever parses a literal.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
            }
        }
        try {
            byte[] raw = InetAddress.getByName(text).getAddress();
            if (raw.length == 4) {
                // Java folds IPv4-mapped literals (::ffff:a.b.c.d) to IPv4; keep them IPv6.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(raw, 0, mapped, 12, 4);
                raw = mapped;
            }
            return new IpAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: '" + text + "'", e);
        }
    }

    public IpFamily family() {
        return bytes.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    public boolean isIpv4() {
        return bytes.length == 4;
    }

    /** A copy of the network-order bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The byte at {@code index} without copying. */
    public int byteAt(int index) {
        return bytes[index] & 0xff;
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: length is 4 or 16
        }
    }

    /** This address plus {@code offset} (wrapping inside the family's range). */
    public IpAddress plus(long offset) {
        byte[] out = bytes.clone();
        long carry = offset;
        for (int i = out.length - 1; i >= 0 && carry != 0; i--) {
            long sum = (out[i] & 0xff) + (carry & 0xff);
            out[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        return new IpAddress(out);
    }

    @Override
    public int compareTo(IpAddress o) {
        if (bytes.length != o.bytes.length) {
            return Integer.compare(bytes.length, o.bytes.length);
        }
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (bytes.length == 4) {
            return byteAt(0) + "." + byteAt(1) + "." + byteAt(2) + "." + byteAt(3);
        }
        return formatV6();
    }

    private boolean isIpv4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return byteAt(10) == 0xff && byteAt(11) == 0xff;
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::". */
    private String formatV6() {
        if (isIpv4Mapped()) {
            // RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad.
            return "::ffff:" + byteAt(12) + "." + byteAt(13) + "." + byteAt(14) + "." + byteAt(15);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (byteAt(2 * i) << 8) | byteAt(2 * i + 1);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
