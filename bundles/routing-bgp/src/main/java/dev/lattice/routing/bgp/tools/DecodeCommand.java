package dev.lattice.routing.bgp.tools;

import dev.lattice.routing.bgp.wire.BgpError;
import dev.lattice.routing.bgp.wire.Capabilities;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Message;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.Open;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code lattice bgp decode [--asn2] [--ebgp] [--body] [FILE]}: reads BGP messages as hex, one per
 * line (from FILE or standard input), or a pcap capture (FILE starting with the pcap magic), and
 * prints one JSON object per message. Malformed messages are reported with the NOTIFICATION code
 * and subcode RFC 4271/7606 give them. Exit status: 0 all decoded, 1 some malformed, 2 usage.
 */
public final class DecodeCommand {
    private final PrintStream out;
    private DecodeContext ctx = DecodeContext.DEFAULT;
    private boolean body;
    private int index;
    private int malformed;

    public DecodeCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) throws IOException {
        DecodeCommand c = new DecodeCommand(out);
        boolean as4 = true;
        boolean ibgp = true;
        String file = null;
        for (String a : args) {
            switch (a) {
                case "--asn2" -> as4 = false;
                case "--ebgp" -> ibgp = false;
                case "--body" -> c.body = true;
                case "-h", "--help" -> {
                    err.println("usage: lattice bgp decode [--asn2] [--ebgp] [--body] [FILE]\n"
                            + "  reads hex BGP messages (one per line) or a pcap file; prints JSON lines\n"
                            + "  --asn2  AS numbers in AS_PATH/AGGREGATOR take 2 octets (no 4-octet-AS capability)\n"
                            + "  --ebgp  decode as received on an external session\n"
                            + "  --body  each line is an UPDATE body without the 19-octet header");
                    return 2;
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        err.println("unknown option " + a);
                        return 2;
                    }
                    file = a.equals("-") ? null : a;
                }
            }
        }
        c.ctx = new DecodeContext(as4, ibgp);
        byte[] data = file == null ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
        if (isPcap(data)) {
            c.pcap(data);
        } else {
            c.hexLines(new String(data, StandardCharsets.UTF_8));
        }
        return c.malformed > 0 ? 1 : 0;
    }

    void hexLines(String text) throws IOException {
        BufferedReader r = new BufferedReader(new java.io.StringReader(text));
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            // accept "raw 1 HEX" / "hex HEX" vector lines as well as bare hex
            String[] w = t.split("\\s+");
            String hex = w[w.length - 1];
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("line", lineNo);
            byte[] b;
            try {
                b = MessageCodec.fromHex(hex);
            } catch (IllegalArgumentException e) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("index", index++);
                j.put("line", lineNo);
                j.put("invalid-hex", e.getMessage());
                malformed++;
                out.println(Json.write(j));
                continue;
            }
            decodeOne(b, extra, ctx);
        }
    }

    private Message decodeOne(byte[] b, Map<String, Object> extra, DecodeContext c) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("index", index++);
        j.putAll(extra);
        Message m = null;
        try {
            m = body ? MessageCodec.decodeBody(Message.UPDATE, b, 0, b.length, c) : MessageCodec.decode(b, c);
            j.put("length", body ? b.length + MessageCodec.HEADER_LENGTH : b.length);
            j.putAll(MessageJson.of(m));
            if (m instanceof dev.lattice.routing.bgp.wire.Update u && !u.errors().isEmpty()) {
                malformed++; // RFC 7606 errors: decoded, but reported
            }
        } catch (BgpError e) {
            malformed++;
            j.put("length", b.length);
            j.put("malformed", MessageJson.error(e));
            j.put("hex", MessageCodec.toHex(b));
        } catch (RuntimeException e) {
            malformed++;
            j.put("malformed", Map.of("reason", "too short: " + e));
            j.put("hex", MessageCodec.toHex(b));
        }
        out.println(Json.write(j));
        return m;
    }

    // ------------------------------------------------------------------ pcap

    static boolean isPcap(byte[] d) {
        if (d.length < 24) {
            return false;
        }
        int m = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        return m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1;
    }

    private static final class Flow {
        final String name;
        final String pair;
        long next = -1;
        final TreeMap<Long, byte[]> pending = new TreeMap<>();
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int consumed;
        boolean broken;

        Flow(String name, String pair) {
            this.name = name;
            this.pair = pair;
        }
    }

    void pcap(byte[] d) {
        int magic = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        boolean be = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d;
        boolean nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        int linkType = (int) u32(d, 20, be);
        Map<String, Flow> flows = new LinkedHashMap<>();
        Map<String, List<Open>> opens = new LinkedHashMap<>();
        int off = 24;
        while (off + 16 <= d.length) {
            long sec = u32(d, off, be);
            long frac = u32(d, off + 4, be);
            int incl = (int) u32(d, off + 8, be);
            off += 16;
            if (incl < 0 || off + incl > d.length) {
                break;
            }
            packet(d, off, incl, linkType, sec + (nanos ? frac / 1e9 : frac / 1e6), flows, opens);
            off += incl;
        }
    }

    private void packet(byte[] d, int off, int len, int linkType, double time, Map<String, Flow> flows,
                        Map<String, List<Open>> opens) {
        int ip;
        int etherType;
        switch (linkType) {
            case 1 -> {
                if (len < 14) {
                    return;
                }
                etherType = ((d[off + 12] & 0xff) << 8) | (d[off + 13] & 0xff);
                ip = off + 14;
                if (etherType == 0x8100 && len >= 18) {
                    etherType = ((d[off + 16] & 0xff) << 8) | (d[off + 17] & 0xff);
                    ip += 4;
                }
            }
            case 113 -> {
                if (len < 16) {
                    return;
                }
                etherType = ((d[off + 14] & 0xff) << 8) | (d[off + 15] & 0xff);
                ip = off + 16;
            }
            case 276 -> {
                if (len < 20) {
                    return;
                }
                etherType = ((d[off] & 0xff) << 8) | (d[off + 1] & 0xff);
                ip = off + 20;
            }
            case 101, 12, 14 -> {
                etherType = len > 0 && ((d[off] & 0xf0) == 0x60) ? 0x86dd : 0x0800;
                ip = off;
            }
            default -> {
                return;
            }
        }
        int end = off + len;
        int tcp;
        String src;
        String dst;
        int ipEnd;
        if (etherType == 0x0800 && ip + 20 <= end) {
            int ihl = (d[ip] & 0x0f) * 4;
            if (d[ip + 9] != 6) {
                return;
            }
            int total = ((d[ip + 2] & 0xff) << 8) | (d[ip + 3] & 0xff);
            ipEnd = Math.min(end, ip + total);
            src = (d[ip + 12] & 0xff) + "." + (d[ip + 13] & 0xff) + "." + (d[ip + 14] & 0xff) + "." + (d[ip + 15] & 0xff);
            dst = (d[ip + 16] & 0xff) + "." + (d[ip + 17] & 0xff) + "." + (d[ip + 18] & 0xff) + "." + (d[ip + 19] & 0xff);
            tcp = ip + ihl;
        } else if (etherType == 0x86dd && ip + 40 <= end) {
            if (d[ip + 6] != 6) {
                return; // extension headers not followed
            }
            int plen = ((d[ip + 4] & 0xff) << 8) | (d[ip + 5] & 0xff);
            ipEnd = Math.min(end, ip + 40 + plen);
            src = v6(d, ip + 8);
            dst = v6(d, ip + 24);
            tcp = ip + 40;
        } else {
            return;
        }
        if (tcp + 20 > ipEnd) {
            return;
        }
        int sport = ((d[tcp] & 0xff) << 8) | (d[tcp + 1] & 0xff);
        int dport = ((d[tcp + 2] & 0xff) << 8) | (d[tcp + 3] & 0xff);
        long seq = u32(d, tcp + 4, true);
        int doff = ((d[tcp + 12] & 0xf0) >> 4) * 4;
        boolean syn = (d[tcp + 13] & 0x02) != 0;
        int payload = tcp + doff;
        String name = src + ":" + sport + " > " + dst + ":" + dport;
        String a = src + ":" + sport;
        String b = dst + ":" + dport;
        String pair = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        Flow f = flows.computeIfAbsent(name, k -> new Flow(k, pair));
        if (syn) {
            f.next = (seq + 1) & 0xffffffffL;
            return;
        }
        if (payload >= ipEnd) {
            return;
        }
        byte[] data = java.util.Arrays.copyOfRange(d, payload, ipEnd);
        if (f.next < 0) {
            f.next = seq;
        }
        f.pending.put(seq, data);
        while (!f.pending.isEmpty()) {
            Map.Entry<Long, byte[]> e = f.pending.firstEntry();
            long s = e.getKey();
            byte[] p = e.getValue();
            long delta = (s - f.next) & 0xffffffffL;
            if (delta > 0x7fffffffL) { // s before next: retransmission, keep only the new part
                long over = (f.next - s) & 0xffffffffL;
                f.pending.pollFirstEntry();
                if (over < p.length) {
                    f.stream.write(p, (int) over, (int) (p.length - over));
                    f.next = (f.next + p.length - over) & 0xffffffffL;
                }
            } else if (delta == 0) {
                f.pending.pollFirstEntry();
                f.stream.write(p, 0, p.length);
                f.next = (f.next + p.length) & 0xffffffffL;
            } else {
                break; // gap: wait for the missing segment
            }
        }
        frame(f, time, opens);
    }

    private void frame(Flow f, double time, Map<String, List<Open>> opens) {
        if (f.broken) {
            return;
        }
        byte[] s = f.stream.toByteArray();
        while (true) {
            int avail = s.length - f.consumed;
            int len;
            try {
                len = MessageCodec.checkHeader(s, f.consumed, avail);
            } catch (BgpError e) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("index", index++);
                j.put("flow", f.name);
                j.put("time", time);
                j.put("malformed", MessageJson.error(e));
                malformed++;
                out.println(Json.write(j));
                f.broken = true;
                return;
            }
            if (len < 0 || avail < len) {
                break;
            }
            byte[] msg = java.util.Arrays.copyOfRange(s, f.consumed, f.consumed + len);
            f.consumed += len;
            List<Open> seen = opens.computeIfAbsent(f.pair, k -> new ArrayList<>());
            boolean as4 = seen.size() < 2 ? ctx.as4()
                    : seen.stream().allMatch(o -> Capabilities.of(o.capabilities()).as4() >= 0);
            boolean ibgp = seen.size() < 2 ? ctx.ibgp() : seen.get(0).effectiveAs() == seen.get(1).effectiveAs();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("flow", f.name);
            extra.put("time", time);
            Message m = decodeOne(msg, extra, new DecodeContext(as4, ibgp));
            if (m instanceof Open o) {
                if (seen.size() >= 2) {
                    seen.clear();
                }
                seen.add(o);
            }
        }
    }

    private static String v6(byte[] d, int off) {
        return dev.lattice.spi.net.IpAddress.ofBytes(java.util.Arrays.copyOfRange(d, off, off + 16)).toString();
    }

    private static long u32(byte[] d, int off, boolean be) {
        if (be) {
            return ((d[off] & 0xffL) << 24) | ((d[off + 1] & 0xff) << 16) | ((d[off + 2] & 0xff) << 8) | (d[off + 3] & 0xff);
        }
        return ((d[off + 3] & 0xffL) << 24) | ((d[off + 2] & 0xff) << 16) | ((d[off + 1] & 0xff) << 8) | (d[off] & 0xff);
    }

    @SuppressWarnings("unused")
    private static InputStreamReader reader(InputStream in) {
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
