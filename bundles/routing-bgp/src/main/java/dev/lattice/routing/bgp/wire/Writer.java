package dev.lattice.routing.bgp.wire;

import java.util.Arrays;

/** Growable big-endian byte writer. */
final class Writer {
    byte[] b;
    int pos;

    Writer(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (pos + n > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, pos + n));
        }
    }

    Writer u8(int v) {
        ensure(1);
        b[pos++] = (byte) v;
        return this;
    }

    Writer u16(int v) {
        ensure(2);
        b[pos++] = (byte) (v >>> 8);
        b[pos++] = (byte) v;
        return this;
    }

    Writer i32(int v) {
        ensure(4);
        b[pos++] = (byte) (v >>> 24);
        b[pos++] = (byte) (v >>> 16);
        b[pos++] = (byte) (v >>> 8);
        b[pos++] = (byte) v;
        return this;
    }

    Writer u32(long v) {
        return i32((int) v);
    }

    Writer bytes(byte[] v) {
        return bytes(v, 0, v.length);
    }

    Writer bytes(byte[] v, int off, int len) {
        ensure(len);
        System.arraycopy(v, off, b, pos, len);
        pos += len;
        return this;
    }

    /** Writes a 16-bit value at an earlier position. */
    void putU16(int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    byte[] toArray() {
        return Arrays.copyOf(b, pos);
    }
}
