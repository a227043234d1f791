package dev.lattice.spi.kernel.firewall;

import dev.lattice.spi.plugin.DataplaneException;

/**
 * A firewall tool refused its input, timed out or is missing. The message names the tool, the
 * failing line (number and text) when the tool reported one, and what the tool said; for a missing
 * tool, the Debian package that provides it.
 */
public class FirewallException extends DataplaneException {
    private static final long serialVersionUID = 1L;
    private final String tool;
    private final int line;
    private final String lineText;
    private final String stderr;

    public FirewallException(String message, String tool, int line, String lineText, String stderr,
                             boolean retriable) {
        super(message, null, retriable);
        this.tool = tool;
        this.line = line;
        this.lineText = lineText;
        this.stderr = stderr;
    }

    /** The program that failed, e.g. {@code "nft"}. */
    public String tool() {
        return tool;
    }

    /** The 1-based line of the input that failed, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The text of that line, or {@code null}. */
    public String lineText() {
        return lineText;
    }

    /** Everything the tool wrote to stderr. */
    public String stderr() {
        return stderr;
    }
}
