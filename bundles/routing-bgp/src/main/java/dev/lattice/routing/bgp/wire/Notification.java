package dev.lattice.routing.bgp.wire;

import java.nio.charset.StandardCharsets;

/** NOTIFICATION: error code, subcode and data. */
public record Notification(int code, int subcode, byte[] data) implements Message {
    public Notification {
        data = data == null ? new byte[0] : data.clone();
    }

    /** A Cease with an RFC 8203/9003 shutdown communication. */
    public static Notification cease(int subcode, String text) {
        byte[] t = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        if (t.length > 255) {
            t = java.util.Arrays.copyOf(t, 255);
        }
        byte[] d = new byte[t.length + 1];
        d[0] = (byte) t.length;
        System.arraycopy(t, 0, d, 1, t.length);
        return new Notification(BgpError.CEASE, subcode, t.length == 0 ? new byte[0] : d);
    }

    /** The shutdown communication of an administrative shutdown/reset, if any. */
    public String shutdownCommunication() {
        if (code == BgpError.CEASE && (subcode == 2 || subcode == 4) && data.length > 0
                && (data[0] & 0xff) == data.length - 1) {
            return new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        }
        return null;
    }

    public String describe() {
        return BgpError.describe(code, subcode);
    }

    @Override
    public int type() {
        return NOTIFICATION;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && n.code == code && n.subcode == subcode
                && java.util.Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return code * 256 + subcode;
    }

    @Override
    public String toString() {
        return "NOTIFICATION " + code + "/" + subcode + " (" + describe() + ")";
    }
}
