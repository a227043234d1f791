import dev.lattice.routing.bgp.wire.AsPath;
import dev.lattice.routing.bgp.wire.Capability;
import dev.lattice.routing.bgp.wire.DecodeContext;
import dev.lattice.routing.bgp.wire.Family;
import dev.lattice.routing.bgp.wire.Keepalive;
import dev.lattice.routing.bgp.wire.MessageCodec;
import dev.lattice.routing.bgp.wire.Open;
import dev.lattice.routing.bgp.wire.PathAttributes;
import dev.lattice.routing.bgp.wire.Prefix;
import dev.lattice.routing.bgp.wire.Update;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark feeder: a minimal eBGP speaker that sends COUNT generated IPv4 prefixes with realistic
 * AS paths and attribute sharing, then End-of-RIB, and keeps the session up until killed.
 * Usage: Feeder LOCAL_ADDR REMOTE_ADDR PORT LOCAL_AS REMOTE_AS COUNT [SEED]
 * Prints "start <epoch-ms>" when the first UPDATE is written and "sent <epoch-ms>" after the last.
 */
public final class Feeder {
    public static void main(String[] a) throws Exception {
        String local = a[0];
        String remote = a[1];
        int port = Integer.parseInt(a[2]);
        long localAs = Long.parseLong(a[3]);
        int count = Integer.parseInt(a[5]);
        long seed = a.length > 6 ? Long.parseLong(a[6]) : 42;
        DecodeContext ctx = new DecodeContext(true, false);
        List<byte[]> updates = generate(count, localAs, seed, ctx);
        long bytes = updates.stream().mapToLong(u -> u.length).sum();
        System.out.println("generated " + updates.size() + " updates, " + bytes + " octets");
        Socket s = null;
        for (int i = 0; i < 200 && s == null; i++) {
            try {
                Socket t = new Socket();
                t.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
                t.connect(new InetSocketAddress(InetAddress.getByName(remote), port), 2000);
                s = t;
            } catch (java.io.IOException e) {
                Thread.sleep(250);
            }
        }
        if (s == null) {
            throw new IllegalStateException("cannot connect to " + remote + ":" + port);
        }
        s.setTcpNoDelay(true);
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int id = InetAddress.getByName(local).hashCode();
        out.write(MessageCodec.encode(Open.of(localAs, 180, id, List.of(Capability.multiprotocol(Family.IPV4_UNICAST),
                Capability.fourOctetAs(localAs))), ctx));
        out.flush();
        int type = read(in);
        if (type != 1) {
            throw new IllegalStateException("expected OPEN, got type " + type);
        }
        out.write(MessageCodec.encode(Keepalive.INSTANCE, ctx));
        out.flush();
        while (read(in) != 4) {
            // wait for the KEEPALIVE that confirms our OPEN
        }
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    read(in);
                }
            } catch (Exception e) {
                // session closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        System.out.println("start " + System.currentTimeMillis());
        for (byte[] u : updates) {
            out.write(u);
        }
        out.write(MessageCodec.encode(Update.endOfRib(Family.IPV4_UNICAST), ctx));
        out.flush();
        System.out.println("sent " + System.currentTimeMillis());
        while (true) {
            Thread.sleep(30_000);
            synchronized (out) {
                out.write(MessageCodec.encode(Keepalive.INSTANCE, ctx));
                out.flush();
            }
        }
    }

    static int read(DataInputStream in) throws java.io.IOException {
        byte[] h = new byte[19];
        in.readFully(h);
        int len = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
        in.skipNBytes(len - 19);
        return h[18] & 0xff;
    }

    /** Attribute sets: 20,000 distinct paths over a pool of ASes; prefixes share them in runs. */
    static List<byte[]> generate(int count, long localAs, long seed, DecodeContext ctx) {
        Random r = new Random(seed);
        int sets = Math.max(1, Math.min(20_000, count / 50));
        long[] pool = new long[3000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = i < 100 ? 174 + i * 37L : 1000 + r.nextInt(400_000);
        }
        List<PathAttributes> attrs = new ArrayList<>(sets);
        for (int i = 0; i < sets; i++) {
            int len = 1 + Math.min(9, (int) Math.abs(r.nextGaussian() * 2 + 2.5));
            long[] path = new long[len + 1];
            path[0] = localAs;
            for (int k = 1; k <= len; k++) {
                path[k] = k == 1 ? pool[r.nextInt(100)] : pool[r.nextInt(pool.length)];
            }
            PathAttributes.Builder b = new PathAttributes.Builder().origin(r.nextInt(10) == 0 ? 2 : 0)
                    .asPath(AsPath.sequence(path)).nextHop(0x64400002); // 100.64.0.2: not loopback, which GoBGP rejects
            if (r.nextInt(3) == 0) {
                b.med(r.nextInt(1000));
            }
            if (r.nextInt(3) == 0) {
                b.communities(new int[] {(int) ((path[1] & 0xffff) << 16) | r.nextInt(1000), (int) (65001L << 16) | 100});
            }
            attrs.add(b.build());
        }
        List<byte[]> out = new ArrayList<>();
        int made = 0;
        int base = 0x0b000000; // 11.0.0.0
        int set = 0;
        while (made < count) {
            PathAttributes pa = attrs.get(set++ % sets);
            int run = Math.min(count - made, 1 + r.nextInt(100));
            List<Prefix> nlri = new ArrayList<>(run);
            for (int k = 0; k < run; k++) {
                // mostly /24, some /22 and /23 from their own space
                int n = made + k;
                if (n % 10 == 9) {
                    nlri.add(Prefix.v4(0x20000000 + (n << 10), 22)); // 32.0.0.0 up: no martians (BIRD drops 127/8)
                } else {
                    nlri.add(Prefix.v4(base + (n << 8), 24));
                }
            }
            made += run;
            // split to respect 4096 octets
            int from = 0;
            while (from < nlri.size()) {
                int to = nlri.size();
                byte[] enc;
                while ((enc = MessageCodec.encode(Update.announce(pa, nlri.subList(from, to)), ctx)).length > 4096) {
                    to = from + (to - from) / 2;
                }
                out.add(enc);
                from = to;
            }
        }
        return out;
    }
}
