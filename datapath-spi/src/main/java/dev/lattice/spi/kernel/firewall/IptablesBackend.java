package dev.lattice.spi.kernel.firewall;

/** Which kernel interface {@code iptables} drives. Mixing both on one node breaks rule ordering. */
public enum IptablesBackend {
    /** {@code iptables-nft}: rules live in nf_tables tables ({@code ip filter}, {@code ip nat}...). */
    NF_TABLES,
    /** {@code iptables-legacy}: the x_tables kernel interface. */
    LEGACY,
    /** iptables is not installed. */
    NONE
}
