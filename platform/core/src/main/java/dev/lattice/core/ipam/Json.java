package dev.lattice.core.ipam;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader and writer, core's only one: compact for the CNI wire protocol and
 * the IPAM and attachment state files, pretty for the admin endpoint's documents. Parsed objects
 * become {@code LinkedHashMap}, arrays {@code ArrayList}, numbers {@code BigDecimal}. Input is bounded by its caller; nesting deeper than 64 is refused.
 */
public final class Json {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private int i;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /** Thrown for malformed input, with the offset. */
    public static final class ParseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != text.length()) {
            throw p.error("trailing data");
        }
        return v;
    }

    private ParseException error(String what) {
        return new ParseException(what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') i++;
            else break;
        }
    }

    private Object value() {
        if (i >= s.length()) throw error("unexpected end of input");
        if (++depth > MAX_DEPTH) throw error("nested too deeply");
        try {
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        } finally {
            depth--;
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) throw error("unexpected token");
        i += word.length();
        return v;
    }

    private Map<String, Object> object() {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') throw error("expected a member name");
            String k = string();
            ws();
            if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
            i++;
            ws();
            m.put(k, value());
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return m;
            } else {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
            return l;
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return l;
            } else {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        i++;
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("control character in a string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) break;
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("truncated \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw error("bad escape");
            }
        }
        throw error("unterminated string");
    }

    private BigDecimal number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') i++;
        int digits = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE+-".indexOf(s.charAt(i)) >= 0)) i++;
        if (i == digits) throw error("unexpected token");
        try {
            return new BigDecimal(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw error("bad number");
        }
    }

    // ---- writing ----

    /** The {@code indent} of compact output: no white space at all (files and the CNI wire). */
    private static final int COMPACT = -1;

    /** Compact: no white space (state files, the CNI protocol). */
    public static String write(Object v) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, v);
        return sb.toString();
    }

    public static void write(StringBuilder sb, Object v) {
        write(sb, v, COMPACT);
    }

    /**
     * For people (the admin endpoint): one object member per line indented by two spaces, arrays on
     * one line ({@code [a, b]}), a newline at the end.
     */
    public static String writePretty(Object v) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, v, 0);
        return sb.append('\n').toString();
    }

    /** {@code indent}: the current nesting in spaces when pretty, {@link #COMPACT} otherwise. */
    private static void write(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> m) {
            object(sb, m, indent);
        } else if (v instanceof Collection<?> c) {
            array(sb, c, indent);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            quote(sb, v.toString());
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> m, int indent) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        boolean pretty = indent != COMPACT;
        int inner = pretty ? indent + 2 : COMPACT;
        sb.append(pretty ? "{\n" : "{");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) sb.append(pretty ? ",\n" : ",");
            first = false;
            if (pretty) sb.append(" ".repeat(inner));
            quote(sb, String.valueOf(e.getKey()));
            sb.append(pretty ? ": " : ":");
            write(sb, e.getValue(), inner);
        }
        if (pretty) sb.append('\n').append(" ".repeat(indent));
        sb.append('}');
    }

    private static void array(StringBuilder sb, Collection<?> c, int indent) {
        sb.append('[');
        boolean first = true;
        for (Object o : c) {
            if (!first) sb.append(indent != COMPACT ? ", " : ",");
            first = false;
            write(sb, o, indent);
        }
        sb.append(']');
    }

    private static void quote(StringBuilder sb, String str) {
        sb.append('"');
        for (int k = 0; k < str.length(); k++) {
            char c = str.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    // ---- typed access helpers ----

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object v) {
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : null;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> asArray(Object v) {
        return v instanceof List<?> ? (List<Object>) v : null;
    }

    public static String asString(Object v) {
        return v instanceof String str ? str : null;
    }
}
