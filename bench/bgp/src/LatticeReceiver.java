import dev.lattice.routing.bgp.fsm.PeerConfig;
import dev.lattice.routing.bgp.speaker.BgpSpeaker;
import dev.lattice.routing.bgp.speaker.SpeakerConfig;
import dev.lattice.spi.net.IpAddress;
import java.util.List;

/**
 * Benchmark receiver: Lattice's speaker listening on ADDR:PORT with one passive eBGP peer; prints
 * when its Loc-RIB holds COUNT prefixes and the heap used per prefix.
 * Usage: LatticeReceiver ADDR PORT LOCAL_AS PEER_ADDR PEER_AS COUNT
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
        s.setPeers(List.of(PeerConfig.of(peer, peerAs, as).withPassive(true).withTimers(180, 5)));
        long before = usedAfterGc();
        System.out.println("listening heap-before " + before);
        long first = 0;
        while (true) {
            long now = System.currentTimeMillis();
            if (first == 0 && s.peers().get(0).updatesIn() > 0) {
                first = now;
                System.out.println("first-update " + now);
            }
            if (s.locRibSize() >= count) {
                System.out.println("complete " + now);
                break;
            }
            Thread.sleep(5);
        }
        long after = usedAfterGc();
        System.out.println("heap-after " + after);
        System.out.printf("bytes-per-prefix %.1f%n", (after - before) / (double) count);
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
