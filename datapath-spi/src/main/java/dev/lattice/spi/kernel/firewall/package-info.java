/**
 * Firewall transaction runners: {@code nft -f -}, {@code iptables-restore}/{@code iptables-save}
 * and {@code ipset restore}/{@code list}, run inside a network namespace with a timeout, their
 * error output turned into a {@link dev.lattice.spi.kernel.firewall.FirewallException} that names
 * the failing line.
 */
package dev.lattice.spi.kernel.firewall;
