package dev.lattice.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lattice.kernel.firewall.ToolRunner;
import dev.lattice.spi.kernel.NetNamespace;
import dev.lattice.spi.kernel.firewall.FirewallException;
import dev.lattice.spi.kernel.firewall.FirewallTools;
import dev.lattice.spi.kernel.firewall.IptablesBackend;
import dev.lattice.spi.net.IpFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Firewall runners, always inside throwaway namespaces. */
class FirewallTest extends KernelTestSupport {

    @Test
    void toolsAreProbed() {
        FirewallTools t = netns.firewallTools();
        assertNotNull(t.nftVersion(), t.toString());
        assertNotNull(t.iptablesVersion(), t.toString());
        assertNotNull(t.ipsetVersion(), t.toString());
        String v = ok("iptables", "-V");
        assertEquals(v.contains("nf_tables") ? IptablesBackend.NF_TABLES : IptablesBackend.LEGACY, t.iptablesBackend());
        assertTrue(v.contains(t.iptablesVersion()));
    }

    @Test
    void nftTransactionsAndJsonListing() {
        NetNamespace a = newNamespace();
        String table = unique("ltk_");
        a.nftables().apply("""
                table inet %s {
                  set allowed { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }
                  chain input { type filter hook input priority 0; policy accept;
                    ip saddr @allowed counter accept
                  }
                }
                """.formatted(table));
        String json = a.nftables().listJson("table inet " + table);
        assertTrue(json.contains("\"nftables\"") && json.contains("\"name\": \"allowed\"") || json.contains("\"name\":\"allowed\""), json);
        String ruleset = in(a, "nft", "-j", "list", "ruleset");
        assertTrue(ruleset.contains(table), ruleset);
        assertFalse(ok("nft", "list", "tables").contains(table), "nothing in the host namespace");

        // a bad line: nothing of the transaction is applied, the error names the line
        FirewallException e = assertThrows(FirewallException.class, () -> a.nftables().apply("""
                add element inet %s allowed { 10.0.0.3 }
                add rule inet %s input ip daddr 10.0.0.9 bogus-statement
                """.formatted(table, table)));
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("bogus-statement"), e.getMessage());
        assertFalse(a.nftables().listJson("set inet " + table + " allowed").contains("10.0.0.3"), "atomic");
        a.nftables().apply("delete table inet " + table);
        assertFalse(in(a, "nft", "list", "tables").contains(table));
    }

    @Test
    void iptablesRestoreNoflushAndSave() {
        NetNamespace a = newNamespace();
        for (IpFamily f : IpFamily.values()) {
            String chain = unique("LTK-");
            String src = f == IpFamily.IPV4 ? "10.1.2.3/32" : "fd00::1/128";
            a.iptables().restore(f, """
                    *filter
                    :%s - [0:0]
                    -A %s -s %s -j ACCEPT
                    -A INPUT -j %s
                    COMMIT
                    """.formatted(chain, chain, src, chain), true);
            String save = a.iptables().save(f, "filter");
            assertTrue(save.contains("-A " + chain + " -s " + src + " -j ACCEPT"), save);
            String tool = f == IpFamily.IPV4 ? "iptables-save" : "ip6tables-save";
            assertTrue(in(a, tool, "-t", "filter").contains(":" + chain), "checked with " + tool);
            assertFalse(ok(tool, "-t", "filter").contains(chain), "nothing in the host namespace");
            // --noflush keeps what is there when another chain is restored
            String other = unique("LTK-");
            a.iptables().restore(f, "*filter\n:" + other + " - [0:0]\nCOMMIT\n", true);
            save = a.iptables().save(f, "filter");
            assertTrue(save.contains(":" + chain) && save.contains(":" + other), save);

            FirewallException e = assertThrows(FirewallException.class, () -> a.iptables().restore(f,
                    "*filter\n:" + other + " - [0:0]\n-A " + other + " -j NO-SUCH-TARGET-X\nCOMMIT\n", true));
            assertTrue(e.line() == 3 || e.line() == 4, e.getMessage());
            assertTrue(e.getMessage().contains("line"), e.getMessage());
        }
    }

    @Test
    void ipsetRestoreAndList() {
        NetNamespace a = newNamespace();
        String set = unique("ltk-");
        a.ipset().restore("create " + set + " hash:ip family inet\nadd " + set + " 10.9.9.1\nadd " + set + " 10.9.9.2\n");
        String list = a.ipset().list(set);
        assertTrue(list.contains("10.9.9.1") && list.contains("10.9.9.2"), list);
        assertTrue(in(a, "ipset", "list", set).contains("10.9.9.2"));
        assertFalse(ok("ipset", "list", "-n").contains(set), "nothing in the host namespace");
        FirewallException e = assertThrows(FirewallException.class,
                () -> a.ipset().restore("add " + set + " 10.9.9.3\nadd " + set + " not-an-address\n"));
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("not-an-address"), e.getMessage());
        a.ipset().restore("destroy " + set + "\n");
        assertFalse(in(a, "ipset", "list", "-n").contains(set));
    }

    @Test
    void missingToolsAndTimeoutsAreClearErrors() {
        NetNamespace a = newNamespace();
        FirewallException missing = assertThrows(FirewallException.class,
                () -> ToolRunner.run(a, List.of("ltk-no-such-tool"), "", Duration.ofSeconds(5)));
        assertTrue(missing.getMessage().contains("install"), missing.getMessage());
        assertEquals("nftables", ToolRunner.debianPackage("nft"));
        FirewallException slow = assertThrows(FirewallException.class,
                () -> ToolRunner.run(a, List.of("sleep", "5"), "", Duration.ofMillis(200)));
        assertTrue(slow.getMessage().contains("timed out"), slow.getMessage());
    }
}
