package dev.lattice.datapath.macvlan;

import dev.lattice.core.cni.StaticPodNetworkSelection;
import dev.lattice.datapath.bridge.LinuxBridgeDatapath;
import java.io.IOException;

/**
 * The linux-bridge module's CNI test bed (a node namespace, the CNI server, IPAM, the real C
 * plugin) with the macvlan datapath beside the bridge: macvlan's parent is "ltcup0", one end of a
 * veth pair inside the node namespace.
 */
final class CniTestBed extends dev.lattice.datapath.bridge.CniTestBed {
    MacvlanDatapath macvlan;
    private String first = LinuxBridgeDatapath.NAME;

    CniTestBed(String... podCidrs) throws IOException {
        super(podCidrs);
    }

    /** Starts both datapaths and the server with {@code first} in force. */
    CniTestBed start(String first) throws IOException {
        if (sh("ip", "-n", nodeName, "link", "show", "ltcup0").exit() != 0) {
            ok("ip", "-n", nodeName, "link", "add", "ltcup0", "type", "veth", "peer", "name", "ltcup1");
            ok("ip", "-n", nodeName, "link", "set", "ltcup0", "up");
            ok("ip", "-n", nodeName, "link", "set", "ltcup1", "up");
        }
        this.first = first;
        start(false);
        return this;
    }

    @Override
    protected StaticPodNetworkSelection datapaths() {
        StaticPodNetworkSelection s = super.datapaths();
        macvlan = new MacvlanDatapath(netns, new MacvlanSettings("ltcup0", "lattice-mv0", nodeName));
        s.add(MacvlanDatapath.NAME, macvlan);
        if (!first.equals(LinuxBridgeDatapath.NAME)) {
            s.select(first);
        }
        return s;
    }

    @Override
    public void stopServer() {
        super.stopServer();
        if (macvlan != null) {
            macvlan.close();
            macvlan = null;
        }
    }
}
