package dev.lattice.spi.kernel;

/**
 * Kernel parameters under {@code /proc/sys} of one network namespace. Keys use dots or slashes:
 * {@code net.ipv4.ip_forward} and {@code net/ipv4/ip_forward} are the same. An interface name in
 * a key may contain dots only in the slash form.
 */
public interface Sysctl {
    /** The value with surrounding white space removed; {@link NotFoundException} when the key does not exist. */
    String get(String key);

    /** Writes {@code value}; {@link NotFoundException} for an unknown key, {@link KernelException} with the errno when refused. */
    void set(String key, String value);
}
