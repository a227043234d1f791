package dev.lattice.kernel.firewall;

import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.firewall.FirewallTools;
import dev.lattice.spi.kernel.firewall.Ipset;
import dev.lattice.spi.kernel.firewall.Iptables;
import dev.lattice.spi.kernel.firewall.Nftables;
import dev.lattice.spi.net.IpFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** The nft, iptables and ipset runners of one namespace. */
public final class FirewallRunners {
    /** Per-run timeout; a big ruleset applies in well under a second, so this only catches hangs. */
    public static final Duration TIMEOUT = Duration.ofSeconds(Integer.getInteger("lattice.firewall.timeoutSeconds", 60));
    private final NetNamespace ns;
    private final Supplier<FirewallTools> tools;

    public FirewallRunners(NetNamespace ns, Supplier<FirewallTools> tools) {
        this.ns = ns;
        this.tools = tools;
    }

    private void require(String tool, String version) {
        if (version == null) {
            throw ToolRunner.missing(tool);
        }
    }

    private String where() {
        return " (netns " + ns.name() + ")";
    }

    public Nftables nftables() {
        return new Nftables() {
            @Override
            public void apply(String script) {
                require("nft", tools.get().nftVersion());
                ToolRunner.Result r = ToolRunner.run(ns, List.of("nft", "-f", "-"), script, TIMEOUT);
                if (r.exit() != 0) {
                    throw ToolRunner.failure("nft -f -" + where(), "nft", script, r);
                }
            }

            @Override
            public String listJson(String what) {
                require("nft", tools.get().nftVersion());
                List<String> cmd = new ArrayList<>(List.of("nft", "-j", "list"));
                cmd.addAll(Arrays.asList(what.trim().split("\\s+")));
                ToolRunner.Result r = ToolRunner.run(ns, cmd, "", TIMEOUT);
                if (r.exit() != 0) {
                    throw ToolRunner.failure(String.join(" ", cmd) + where(), "nft", null, r);
                }
                return r.stdout();
            }
        };
    }

    public Iptables iptables() {
        return new Iptables() {
            @Override
            public void restore(IpFamily family, String rules, boolean noflush) {
                require("iptables", tools.get().iptablesVersion());
                String tool = family == IpFamily.IPV6 ? "ip6tables-restore" : "iptables-restore";
                List<String> cmd = new ArrayList<>(List.of(tool, "-w", "10"));
                if (noflush) {
                    cmd.add("--noflush");
                }
                ToolRunner.Result r = ToolRunner.run(ns, cmd, rules, TIMEOUT);
                if (r.exit() != 0) {
                    throw ToolRunner.failure(String.join(" ", cmd) + where(), tool, rules, r);
                }
            }

            @Override
            public String save(IpFamily family, String table) {
                require("iptables", tools.get().iptablesVersion());
                String tool = family == IpFamily.IPV6 ? "ip6tables-save" : "iptables-save";
                List<String> cmd = new ArrayList<>(List.of(tool));
                if (table != null) {
                    cmd.add("-t");
                    cmd.add(table);
                }
                ToolRunner.Result r = ToolRunner.run(ns, cmd, "", TIMEOUT);
                if (r.exit() != 0) {
                    throw ToolRunner.failure(String.join(" ", cmd) + where(), tool, null, r);
                }
                return r.stdout();
            }
        };
    }

    public Ipset ipset() {
        return new Ipset() {
            @Override
            public void restore(String commands) {
                require("ipset", tools.get().ipsetVersion());
                ToolRunner.Result r = ToolRunner.run(ns, List.of("ipset", "restore"), commands, TIMEOUT);
                if (r.exit() != 0) {
                    throw ToolRunner.failure("ipset restore" + where(), "ipset", commands, r);
                }
            }

            @Override
            public String list(String name) {
                require("ipset", tools.get().ipsetVersion());
                List<String> cmd = name == null ? List.of("ipset", "list") : List.of("ipset", "list", name);
                ToolRunner.Result r = ToolRunner.run(ns, cmd, "", TIMEOUT);
                if (r.exit() != 0) {
                    throw ToolRunner.failure(String.join(" ", cmd) + where(), "ipset", null, r);
                }
                return r.stdout();
            }
        };
    }
}
