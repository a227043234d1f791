package dev.lattice.kernel.netlink;

import dev.lattice.spi.net.IpAddress;
import dev.lattice.spi.net.MacAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Attributes of one message or nest, indexed by type (later duplicates win). Reads from a shared buffer. */
public final class NlAttrs {
    private static final int MAX = 64;
    private final ByteBuffer buf;
    private final int[] off = new int[MAX];
    private final int[] len = new int[MAX];

    /** Parses attributes in {@code [start, end)} of {@code buf}. */
    public NlAttrs(ByteBuffer buf, int start, int end) {
        this.buf = buf;
        java.util.Arrays.fill(off, -1);
        int p = start;
        while (p + 4 <= end) {
            int l = buf.getShort(p) & 0xffff;
            int t = buf.getShort(p + 2) & Nl.NLA_TYPE_MASK;
            if (l < 4 || p + l > end) {
                break;
            }
            if (t < MAX) {
                off[t] = p + 4;
                len[t] = l - 4;
            }
            p += Nl.align(l);
        }
    }

    public boolean has(int type) {
        return off[type] >= 0;
    }

    public int offset(int type) {
        return off[type];
    }

    public int length(int type) {
        return len[type];
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int u8(int type, int dflt) {
        return has(type) ? buf.get(off[type]) & 0xff : dflt;
    }

    public int u16(int type, int dflt) {
        return has(type) ? buf.getShort(off[type]) & 0xffff : dflt;
    }

    public int u32(int type, int dflt) {
        return has(type) ? buf.getInt(off[type]) : dflt;
    }

    public byte[] bytes(int type) {
        if (!has(type)) {
            return null;
        }
        byte[] b = new byte[len[type]];
        buf.get(off[type], b);
        return b;
    }

    public String string(int type) {
        if (!has(type)) {
            return null;
        }
        int n = len[type];
        while (n > 0 && buf.get(off[type] + n - 1) == 0) {
            n--;
        }
        byte[] b = new byte[n];
        buf.get(off[type], b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public IpAddress ip(int type) {
        byte[] b = bytes(type);
        return b == null || (b.length != 4 && b.length != 16) ? null : IpAddress.ofBytes(b);
    }

    public MacAddress mac(int type) {
        byte[] b = bytes(type);
        return b == null || b.length != 6 ? null : MacAddress.ofBytes(b);
    }

    /** The nested attributes inside {@code type}, or null. */
    public NlAttrs nested(int type) {
        return has(type) ? new NlAttrs(buf, off[type], off[type] + len[type]) : null;
    }
}
