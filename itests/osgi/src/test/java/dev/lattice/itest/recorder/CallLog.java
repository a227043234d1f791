package dev.lattice.itest.recorder;

import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Where a recorder reports its calls: the test registers a {@code java.util.function.Consumer}
 * service with {@code lattice.itest.calllog=true}. Only JDK and OSGi framework types cross the
 * bundle boundary, so the recorder depends on nothing but datapath-spi.
 */
final class CallLog {
    private final BundleContext context;
    private final String prefix;

    CallLog(BundleContext context, String name) {
        this.context = context;
        this.prefix = name + "@" + context.getBundle().getVersion();
    }

    @SuppressWarnings("unchecked")
    void record(String kind, String call) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Consumer.class.getName(),
                    "(lattice.itest.calllog=true)");
            if (refs == null) {
                return;
            }
            for (ServiceReference<?> ref : refs) {
                Consumer<String> log = (Consumer<String>) context.getService(ref);
                if (log != null) {
                    try {
                        log.accept(prefix + " " + kind + " " + call);
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
