package dev.lattice.spi.kernel.firewall;

/**
 * The firewall tools found when the kernel layer started.
 *
 * @param nftVersion      e.g. {@code "1.0.6"}, or {@code null} when nft is missing (Debian package {@code nftables})
 * @param iptablesVersion e.g. {@code "1.8.9"}, or {@code null} when missing (package {@code iptables})
 * @param iptablesBackend the backend {@code iptables} uses
 * @param ipsetVersion    e.g. {@code "7.17"}, or {@code null} when missing (package {@code ipset})
 */
public record FirewallTools(String nftVersion, String iptablesVersion, IptablesBackend iptablesBackend,
                            String ipsetVersion) {
}
