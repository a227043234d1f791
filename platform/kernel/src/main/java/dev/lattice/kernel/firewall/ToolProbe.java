package dev.lattice.kernel.firewall;

import dev.lattice.spi.kernel.firewall.FirewallTools;
import dev.lattice.spi.kernel.firewall.IptablesBackend;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the firewall tools and their versions, and which backend iptables drives. */
public final class ToolProbe {
    private static final Pattern VERSION = Pattern.compile("v(\\d+(?:\\.\\d+)+)");

    private ToolProbe() {
    }

    public static FirewallTools probe() {
        String nft = version("nft", "-v");
        String ipt = null;
        IptablesBackend backend = IptablesBackend.NONE;
        if (ToolRunner.exists("iptables")) {
            ToolRunner.Result r = ToolRunner.run(null, List.of("iptables", "-V"), "", Duration.ofSeconds(10));
            ipt = parse(r.stdout() + r.stderr());
            String all = r.stdout() + r.stderr();
            backend = all.contains("nf_tables") ? IptablesBackend.NF_TABLES
                    : all.contains("legacy") || ipt != null ? IptablesBackend.LEGACY : IptablesBackend.NONE;
        }
        String ipset = version("ipset", "-v");
        return new FirewallTools(nft, ipt, backend, ipset);
    }

    private static String version(String tool, String flag) {
        if (!ToolRunner.exists(tool)) {
            return null;
        }
        try {
            ToolRunner.Result r = ToolRunner.run(null, List.of(tool, flag), "", Duration.ofSeconds(10));
            return parse(r.stdout() + r.stderr());
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String parse(String text) {
        Matcher m = VERSION.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
