package dev.lattice.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes netlink messages (native byte order) into a direct buffer. Several messages may be
 * written back to back and sent with one system call.
 */
public final class NlBuilder {
    private ByteBuffer buf;
    private int msgStart = -1;
    private int lastStart = -1;

    public NlBuilder(int capacity) {
        buf = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public void reset() {
        buf.clear();
        msgStart = -1;
        lastStart = -1;
    }

    /** Adds {@code flags} to the header of the message begun last. */
    public void orFlagsOfLast(int flags) {
        int at = lastStart + 6;
        buf.putShort(at, (short) (buf.getShort(at) | flags));
    }

    public int length() {
        return buf.position();
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buf.capacity() * 2, buf.position() + n + 1024))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    /** Starts a message; returns this. */
    public NlBuilder begin(int type, int flags, int seq) {
        pad();
        ensure(Nl.HDRLEN);
        msgStart = buf.position();
        lastStart = msgStart;
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        return this;
    }

    /** Ends the current message (writes its length). */
    public void end() {
        pad();
        buf.putInt(msgStart, buf.position() - msgStart);
        msgStart = -1;
    }

    public NlBuilder u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public NlBuilder u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public NlBuilder u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public NlBuilder bytes(byte[] v) {
        ensure(v.length);
        buf.put(v);
        return this;
    }

    private void pad() {
        int p = buf.position();
        int a = Nl.align(p);
        ensure(a - p);
        while (buf.position() < a) {
            buf.put((byte) 0);
        }
    }

    /** struct ifinfomsg. */
    public NlBuilder ifinfomsg(int family, int index, int flags, int change) {
        return u8(family).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    public NlBuilder attr(int type, byte[] value) {
        pad();
        ensure(4 + value.length);
        buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    public NlBuilder attrU8(int type, int v) {
        pad();
        ensure(8);
        buf.putShort((short) 5).putShort((short) type).put((byte) v);
        pad();
        return this;
    }

    public NlBuilder attrU16(int type, int v) {
        pad();
        ensure(8);
        buf.putShort((short) 6).putShort((short) type).putShort((short) v);
        pad();
        return this;
    }

    /** A 16-bit value in network byte order (e.g. a UDP port). */
    public NlBuilder attrBe16(int type, int v) {
        return attr(type, new byte[] {(byte) (v >> 8), (byte) v});
    }

    public NlBuilder attrU32(int type, int v) {
        pad();
        ensure(8);
        buf.putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }

    /** A NUL-terminated string. */
    public NlBuilder attrString(int type, String v) {
        byte[] s = v.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(type, z);
    }

    /** Starts a nested attribute; pass the result to {@link #nestEnd(int)}. */
    public int nestStart(int type) {
        pad();
        ensure(4);
        int start = buf.position();
        buf.putShort((short) 0).putShort((short) type);
        return start;
    }

    public void nestEnd(int start) {
        pad();
        buf.putShort(start, (short) (buf.position() - start));
    }
}
