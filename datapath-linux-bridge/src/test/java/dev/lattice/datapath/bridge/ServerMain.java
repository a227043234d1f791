package dev.lattice.datapath.bridge;

import dev.lattice.core.cni.CniServer;
import dev.lattice.core.cni.CniSettings;
import dev.lattice.core.cni.StaticPodNetworkSelection;
import dev.lattice.core.ipam.Ipam;
import dev.lattice.core.ipam.IpamComponent;
import dev.lattice.kernel.Kernel;
import dev.lattice.spi.net.IpPrefix;
import dev.lattice.spi.pod.AttachRequest;
import dev.lattice.spi.pod.Attachment;
import dev.lattice.spi.pod.NodeNetwork;
import dev.lattice.spi.pod.PodNetworkDatapath;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CNI server as a process of its own, so that tests and the benchmark can kill it like an
 * agent crash: {@code ServerMain <dir> <node-namespace> <cidr>...}. Prints READY when serving.
 * Containers whose ID starts with "slow" are held 300 ms after their interfaces were made,
 * before the server records them, to widen the window a crash hits.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<IpPrefix> cidrs = IpamComponent.parseCidrs(Arrays.asList(args).subList(2, args.length));
        Kernel kernel = Kernel.open();
        Ipam ipam = new Ipam(dir.resolve("ipam/ipam.json"), () -> cidrs, true);
        LinuxBridgeDatapath bridge = new LinuxBridgeDatapath(kernel.namespaces(),
                BridgeSettings.defaults().withNodeNamespace(args[1]));
        PodNetworkDatapath slowable = new PodNetworkDatapath() {
            @Override
            public void prepareNode(NodeNetwork node) {
                bridge.prepareNode(node);
            }

            @Override
            public Attachment attach(AttachRequest request) {
                Attachment a = bridge.attach(request);
                if (request.containerId().startsWith("slow")) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return a;
            }

            @Override
            public void check(Attachment attachment) {
                bridge.check(attachment);
            }

            @Override
            public void detach(Attachment attachment) {
                bridge.detach(attachment);
            }

            @Override
            public void cleanupNode() {
                bridge.cleanupNode();
            }
        };
        StaticPodNetworkSelection selection = new StaticPodNetworkSelection().add(LinuxBridgeDatapath.NAME, slowable);
        CniServer server = new CniServer(CniSettings.inDirectory(dir).withFsync(true), selection, ipam);
        server.start();
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
