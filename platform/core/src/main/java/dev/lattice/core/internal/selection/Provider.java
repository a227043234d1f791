package dev.lattice.core.internal.selection;

import dev.lattice.spi.plugin.PluginProperties;
import java.util.Comparator;
import java.util.Map;

/** One registered plugin service with the properties the selector orders by. */
record Provider<T>(String name, int ranking, long serviceId, String bundle, T instance) {
    /** Among providers of one name: highest ranking first, then the oldest registration. */
    static final Comparator<Provider<?>> PREFERENCE = Comparator
            .comparingInt((Provider<?> p) -> -p.ranking())
            .thenComparingLong(Provider::serviceId);

    static <T> Provider<T> of(T instance, Map<String, ?> props) {
        Object name = props.get(PluginProperties.NAME);
        Object ranking = props.get("service.ranking");
        Object id = props.get("service.id");
        Object bundle = props.get("service.bundleid");
        return new Provider<>(name == null ? "" : name.toString().trim(),
                ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : -1L,
                bundle == null ? "" : bundle.toString(),
                instance);
    }
}
