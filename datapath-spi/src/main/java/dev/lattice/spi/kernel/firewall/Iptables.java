package dev.lattice.spi.kernel.firewall;

import dev.lattice.spi.net.IpFamily;

/**
 * {@code iptables-restore}/{@code iptables-save} (IPv4) and {@code ip6tables-restore}/{@code -save}
 * (IPv6) in one network namespace, with the backend found at start (see {@link FirewallTools}).
 * Each restore is one atomic commit of the tables it names.
 */
public interface Iptables {
    /**
     * Feeds {@code rules} (iptables-save format: {@code *table}, chains, rules, {@code COMMIT}) to
     * {@code iptables-restore}. With {@code noflush} the tables' other chains are kept (only the
     * chains declared in the input are flushed), which is how kube-proxy owns its own chains.
     *
     * @throws FirewallException naming the failing line
     */
    void restore(IpFamily family, String rules, boolean noflush);

    /** {@code iptables-save -t <table>} output; {@code table} may be null for all tables. */
    String save(IpFamily family, String table);
}
