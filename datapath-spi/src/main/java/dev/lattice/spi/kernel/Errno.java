package dev.lattice.spi.kernel;

/** Linux errno values (x86-64 and arm64 share them) and their names. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENODATA = 61;
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;

    private static final String[] NAMES = new String[128];
    private static final String[] TEXTS = new String[128];

    static {
        def(EPERM, "EPERM", "operation not permitted");
        def(ENOENT, "ENOENT", "no such file or object");
        def(ESRCH, "ESRCH", "no such process or object");
        def(EINTR, "EINTR", "interrupted");
        def(EIO, "EIO", "I/O error");
        def(ENXIO, "ENXIO", "no such device or address");
        def(E2BIG, "E2BIG", "argument list too long");
        def(EBADF, "EBADF", "bad file descriptor");
        def(EAGAIN, "EAGAIN", "try again");
        def(ENOMEM, "ENOMEM", "out of memory");
        def(EACCES, "EACCES", "permission denied");
        def(EFAULT, "EFAULT", "bad address");
        def(EBUSY, "EBUSY", "device or resource busy");
        def(EEXIST, "EEXIST", "exists already");
        def(EXDEV, "EXDEV", "cross-device link");
        def(ENODEV, "ENODEV", "no such device");
        def(ENOTDIR, "ENOTDIR", "not a directory");
        def(EISDIR, "EISDIR", "is a directory");
        def(EINVAL, "EINVAL", "invalid argument");
        def(ENFILE, "ENFILE", "too many open files in system");
        def(EMFILE, "EMFILE", "too many open files");
        def(ENOSPC, "ENOSPC", "no space left");
        def(ERANGE, "ERANGE", "out of range");
        def(ENAMETOOLONG, "ENAMETOOLONG", "name too long");
        def(ENOSYS, "ENOSYS", "not implemented by this kernel");
        def(ENOTEMPTY, "ENOTEMPTY", "not empty");
        def(ELOOP, "ELOOP", "would create a loop");
        def(ENODATA, "ENODATA", "no data");
        def(EPROTO, "EPROTO", "protocol error");
        def(EMSGSIZE, "EMSGSIZE", "message too long");
        def(EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported (kernel module missing?)");
        def(EOPNOTSUPP, "EOPNOTSUPP", "operation not supported (kernel feature or module missing?)");
        def(EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported (kernel module missing?)");
        def(EADDRINUSE, "EADDRINUSE", "address in use");
        def(EADDRNOTAVAIL, "EADDRNOTAVAIL", "address not available");
        def(ENETDOWN, "ENETDOWN", "network is down");
        def(ENETUNREACH, "ENETUNREACH", "network unreachable");
        def(ENOBUFS, "ENOBUFS", "no buffer space (socket receive queue overrun)");
        def(ENOTCONN, "ENOTCONN", "not connected");
        def(ECONNREFUSED, "ECONNREFUSED", "connection refused");
        def(EALREADY, "EALREADY", "already in progress");
        def(ETIMEDOUT, "ETIMEDOUT", "timed out");
        def(EHOSTUNREACH, "EHOSTUNREACH", "host unreachable");
    }

    private Errno() {
    }

    private static void def(int errno, String name, String text) {
        NAMES[errno] = name;
        TEXTS[errno] = text;
    }

    /** The symbolic name, e.g. {@code "EEXIST"}, or {@code "errno 200"} for one not listed here. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "errno " + errno;
    }

    /** Name, number and meaning, e.g. {@code "EEXIST (17): exists already"}; {@code "failed"} for 0 (no errno). */
    public static String describe(int errno) {
        if (errno == 0) {
            return "failed";
        }
        String text = errno > 0 && errno < TEXTS.length ? TEXTS[errno] : null;
        return name(errno) + " (" + errno + ")" + (text == null ? "" : ": " + text);
    }
}
