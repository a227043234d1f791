package dev.lattice.kernel.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The system calls the kernel layer makes, bound through jnr-ffi. Every call that can fail saves
 * errno; read it with {@link #errno()} right after the call, on the same thread.
 */
public interface Native {
    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_SNDBUF = 7;
    int SO_RCVBUF = 8;
    int SO_RCVTIMEO = 20;
    int SO_SNDBUFFORCE = 32;
    int SO_RCVBUFFORCE = 33;
    int SOL_NETLINK = 270;
    int NETLINK_CAP_ACK = 10;
    int NETLINK_EXT_ACK = 11;
    int NETLINK_GET_STRICT_CHK = 12;
    int CLONE_NEWNET = 0x40000000;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    long MS_BIND = 4096;
    long MS_REC = 16384;
    long MS_SHARED = 1 << 20;
    int MNT_DETACH = 2;

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, Pointer addr, int len);

    @SaveError
    int getsockname(int fd, Pointer addr, Pointer len);

    @SaveError
    int setsockopt(int fd, int level, int name, Pointer value, int len);

    @SaveError
    long send(int fd, Pointer buf, long len, int flags);

    @SaveError
    long recv(int fd, Pointer buf, long len, int flags);

    @SaveError
    int close(int fd);

    @SaveError
    int open(String path, int flags, int mode);

    @SaveError
    int setns(int fd, int nstype);

    /** NS_GET_NSTYPE: the CLONE_NEW* type of a namespace file descriptor. */
    long NS_GET_NSTYPE = 0xb703;

    @SaveError
    int ioctl(int fd, long request);

    @SaveError
    int unshare(int flags);

    @SaveError
    int mount(String source, String target, String fstype, long flags, Pointer data);

    @SaveError
    int umount2(String target, int flags);

    int gettid();

    /** The process-wide binding. */
    static Native get() {
        return Holder.NATIVE;
    }

    /** errno of the last call on this thread. */
    static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    /** A pointer to the first byte of a direct buffer (no copying: the kernel reads and writes it in place). */
    static Pointer pointer(java.nio.ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        long address = com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(direct);
        return Pointer.wrap(Holder.RUNTIME, address, direct.capacity());
    }

    /** Lazy holder, loaded inside this bundle's class loader (see {@code LibC}). */
    final class Holder {
        static final Native NATIVE;
        static final Runtime RUNTIME;

        static {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(Native.class.getClassLoader());
            try {
                NATIVE = LibraryLoader.create(Native.class).failImmediately().load("c");
                RUNTIME = Runtime.getRuntime(NATIVE);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        private Holder() {
        }
    }
}
