package dev.lattice.kernel;

import jnr.ffi.LibraryLoader;

/**
 * The libc calls Lattice makes through jnr-ffi. Loaded once; the loader fails immediately with
 * the real cause rather than handing out a proxy that fails on first use.
 */
public interface LibC {
    int getpid();

    int gettid();

    /** The process-wide instance. */
    static LibC get() {
        return Holder.INSTANCE;
    }

    /** Lazy holder: loading happens on first use, inside whichever class loader owns this bundle. */
    final class Holder {
        private static final LibC INSTANCE = load();

        private Holder() {
        }

        private static LibC load() {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            // jnr-ffi finds its provider and generates classes through the context loader; inside
            // OSGi that must be this bundle's loader, where jnr-ffi and jffi are embedded.
            Thread.currentThread().setContextClassLoader(LibC.class.getClassLoader());
            try {
                return LibraryLoader.create(LibC.class).failImmediately().load("c");
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }
}
