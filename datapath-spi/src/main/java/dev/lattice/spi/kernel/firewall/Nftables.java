package dev.lattice.spi.kernel.firewall;

/**
 * {@code nft} in one network namespace. Scripts are applied with {@code nft -f -}: the kernel
 * commits the whole script or nothing.
 */
public interface Nftables {
    /**
     * Applies {@code script} as one transaction.
     *
     * @throws FirewallException naming the failing line of the script and nft's message
     */
    void apply(String script);

    /**
     * Runs {@code nft -j list <what>} and returns the JSON, e.g. {@code list("ruleset")} or
     * {@code list("table inet lattice")}.
     */
    String listJson(String what);
}
