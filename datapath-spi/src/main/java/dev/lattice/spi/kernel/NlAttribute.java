package dev.lattice.spi.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable netlink attribute (type, length, value) for {@link GenericNetlink} requests and
 * answers. Integers are in host byte order as netlink expects; pass network-order fields (ports,
 * addresses) with {@link #bytes(int, byte[])}. A nested attribute's value is itself a list of
 * attributes ({@link #nested(int, List)}, {@link #children()}).
 */
public final class NlAttribute {
    /** The NLA_F_NESTED flag set on nested attributes when sending. */
    public static final int NESTED = 0x8000;
    private final int type;
    private final byte[] value;
    private final boolean nested;

    private NlAttribute(int type, byte[] value, boolean nested) {
        if (type < 0 || type > 0x3fff) {
            throw new IllegalArgumentException("attribute type " + type + " is outside 0..16383");
        }
        if (value.length > 0xffff - 4) {
            throw new IllegalArgumentException("attribute " + type + " is too long (" + value.length + " bytes)");
        }
        this.type = type;
        this.value = value;
        this.nested = nested;
    }

    public static NlAttribute bytes(int type, byte[] value) {
        return new NlAttribute(type, Objects.requireNonNull(value).clone(), false);
    }

    public static NlAttribute u8(int type, int value) {
        return new NlAttribute(type, new byte[] {(byte) value}, false);
    }

    public static NlAttribute u16(int type, int value) {
        return new NlAttribute(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array(), false);
    }

    public static NlAttribute u32(int type, int value) {
        return new NlAttribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array(), false);
    }

    public static NlAttribute u64(int type, long value) {
        return new NlAttribute(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array(), false);
    }

    /** A NUL-terminated UTF-8 string. */
    public static NlAttribute string(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return new NlAttribute(type, z, false);
    }

    /** A nested attribute holding {@code children}. */
    public static NlAttribute nested(int type, List<NlAttribute> children) {
        return new NlAttribute(type, encode(children), true);
    }

    /** Encodes attributes back to back, each padded to 4 bytes. */
    public static byte[] encode(List<NlAttribute> attributes) {
        int len = 0;
        for (NlAttribute a : attributes) {
            len += align(4 + a.value.length);
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        for (NlAttribute a : attributes) {
            int start = b.position();
            b.putShort((short) (4 + a.value.length)).putShort((short) (a.type | (a.nested ? NESTED : 0))).put(a.value);
            b.position(start + align(4 + a.value.length));
        }
        return b.array();
    }

    /** Parses attributes back to back (the NLA_F_NESTED and byte-order flags are dropped from types). */
    public static List<NlAttribute> parse(byte[] data) {
        List<NlAttribute> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int p = 0;
        while (p + 4 <= data.length) {
            int len = b.getShort(p) & 0xffff;
            int type = b.getShort(p + 2) & 0xffff;
            if (len < 4 || p + len > data.length) {
                break;
            }
            byte[] v = new byte[len - 4];
            System.arraycopy(data, p + 4, v, 0, v.length);
            out.add(new NlAttribute(type & 0x3fff, v, (type & NESTED) != 0));
            p += align(len);
        }
        return Collections.unmodifiableList(out);
    }

    /** The first attribute of {@code type} in {@code attributes}. */
    public static Optional<NlAttribute> find(List<NlAttribute> attributes, int type) {
        for (NlAttribute a : attributes) {
            if (a.type == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    public int type() {
        return type;
    }

    /** A copy of the payload. */
    public byte[] value() {
        return value.clone();
    }

    public int u8() {
        return value[0] & 0xff;
    }

    public int u16() {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getShort() & 0xffff;
    }

    public int u32() {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    public long u64() {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }

    /** The payload as a string, without the trailing NUL. */
    public String string() {
        int n = value.length;
        while (n > 0 && value[n - 1] == 0) {
            n--;
        }
        return new String(value, 0, n, StandardCharsets.UTF_8);
    }

    /** The payload parsed as nested attributes. */
    public List<NlAttribute> children() {
        return parse(value);
    }

    @Override
    public String toString() {
        return "NlAttribute[type=" + type + ", " + value.length + " bytes" + (nested ? ", nested" : "") + "]";
    }
}
