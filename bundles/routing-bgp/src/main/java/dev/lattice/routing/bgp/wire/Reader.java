package dev.lattice.routing.bgp.wire;

/** Bounds-checked big-endian reader over a byte array slice. Never allocates more than it reads. */
final class Reader {
    final byte[] b;
    int pos;
    final int end;

    Reader(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IllegalArgumentException("slice outside the buffer");
        }
        this.b = b;
        this.pos = off;
        this.end = off + len;
    }

    int remaining() {
        return end - pos;
    }

    boolean has(int n) {
        return n >= 0 && end - pos >= n;
    }

    int u8() {
        return b[pos++] & 0xff;
    }

    int u16() {
        int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int i32() {
        int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8)
                | (b[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long u32() {
        return i32() & 0xffffffffL;
    }

    byte[] bytes(int n) {
        byte[] out = new byte[n];
        System.arraycopy(b, pos, out, 0, n);
        pos += n;
        return out;
    }

    Reader slice(int n) {
        Reader r = new Reader(b, pos, n);
        pos += n;
        return r;
    }
}
