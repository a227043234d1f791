package dev.lattice.spi.policy;

import dev.lattice.spi.net.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * A named set of peer addresses: the union of {@code include} minus {@code except}. Pod and
 * namespace selectors become host prefixes of the matching pods' IPs; ipBlocks become prefixes
 * with their exceptions.
 *
 * @param name    a stable name, unique within one {@link PolicyState}, usable as a set name
 * @param include the prefixes in the set
 * @param except  prefixes carved out of {@code include}
 */
public record AddressSet(String name, List<IpPrefix> include, List<IpPrefix> except) {
    public AddressSet {
        Objects.requireNonNull(name, "name");
        include = List.copyOf(include);
        except = List.copyOf(except);
    }
}
