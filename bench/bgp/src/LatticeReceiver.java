import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.speaker.BgpSpeaker;
import dev.lattice.routing.bgp.speaker.SpeakerConfig;
import dev.lattice.spi.net.IpAddress;
import java.util.List;

/**
 * Benchmark receiver: Lattice's speaker listening on ADDR:PORT with one passive eBGP peer; prints
 * when its Loc-RIB holds COUNT prefixes and the heap used per prefix.
 * Usage: LatticeReceiver ADDR PORT LOCAL_AS PEER_ADDR PEER_AS COUNT [ROUNDS]
 * With ROUNDS > 1 the feed is received again on a warm JVM; the last round is reported.
 */
public final class LatticeReceiver {
    public static void main(String[] a) throws Exception {
        IpAddress addr = IpAddress.parse(a[0]);
        int port = Integer.parseInt(a[1]);
        long as = Long.parseLong(a[2]);
        IpAddress peer = IpAddress.parse(a[3]);
        long peerAs = Long.parseLong(a[4]);
        int count = Integer.parseInt(a[5]);
        SpeakerConfig c = new SpeakerConfig(as, SpeakerConfig.toInt(addr), addr, port, 0, 1, null, null, null, null,
                false, 360);
        BgpSpeaker s = new BgpSpeaker(c, null);
        s.start();
        int rounds = a.length > 6 ? Integer.parseInt(a[6]) : 1;
        PeerConfig pc = PeerConfig.of(peer, peerAs, as).withPassive(true).withTimers(180, 5);
        s.setPeers(List.of(pc));
        long before = usedAfterGc();
        System.out.println("listening heap-before " + before);
        for (int round = 1; round <= rounds; round++) {
            if (round > 1) {
                // a fresh session into an empty RIB, on a JVM that has already run the code
                s.setPeers(List.of());
                while (s.locRibSize() > 0) {
                    Thread.sleep(20);
                }
                s.setPeers(List.of(pc));
                System.out.println("ready " + round);
            }
            while (true) {
                long now = System.currentTimeMillis();
                if (s.locRibSize() >= count) {
                    System.out.println("complete " + round + " " + now);
                    if (round == 1) {
                        // memory of the first round: every table grown from empty
                        long after = usedAfterGc();
                        System.out.println("heap-after " + after);
                        System.out.printf("bytes-per-prefix %.1f%n", (after - before) / (double) count);
                    }
                    break;
                }
                Thread.sleep(5);
            }
        }
        System.out.println("rss-kb " + rssKb());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    static long rssKb() throws java.io.IOException {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
