package dev.lattice.routing.bgp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes BGP-4 messages (RFC 4271, 4760, 6793, 2918, 4724, 1997, 8092, 4456) with the
 * revised error handling of RFC 7606. Pure Java over byte arrays; the transport frames messages.
 * Allocation is bounded by the message length, at most {@link #MAX_LENGTH} octets.
 */
public final class MessageCodec {
    public static final int HEADER_LENGTH = 19;
    public static final int MAX_LENGTH = 4096;

    private MessageCodec() {
    }

    /**
     * Checks a header at {@code off}: returns the message length, or -1 when fewer than 19 octets
     * are available.
     */
    public static int checkHeader(byte[] b, int off, int available) throws BgpError {
        if (available < HEADER_LENGTH) {
            return -1;
        }
        for (int i = 0; i < 16; i++) {
            if (b[off + i] != (byte) 0xff) {
                throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.CONNECTION_NOT_SYNCHRONIZED, "marker is not all ones");
            }
        }
        int len = ((b[off + 16] & 0xff) << 8) | (b[off + 17] & 0xff);
        int type = b[off + 18] & 0xff;
        byte[] lenData = {b[off + 16], b[off + 17]};
        if (len < HEADER_LENGTH || len > MAX_LENGTH) {
            throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_LENGTH, lenData, "length " + len);
        }
        boolean ok = switch (type) {
            case Message.OPEN -> len >= 29;
            case Message.UPDATE -> len >= 23;
            case Message.NOTIFICATION -> len >= 21;
            case Message.KEEPALIVE -> len == 19;
            case Message.ROUTE_REFRESH -> len == 23;
            default -> throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_TYPE,
                    new byte[] {(byte) type}, "message type " + type);
        };
        if (!ok) {
            throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_LENGTH, lenData,
                    "length " + len + " for message type " + type);
        }
        return len;
    }

    /** Decodes one whole message (header included); its length must match exactly. */
    public static Message decode(byte[] msg, DecodeContext ctx) throws BgpError {
        int len = checkHeader(msg, 0, msg.length);
        if (len < 0 || len != msg.length) {
            throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_LENGTH,
                    msg.length >= 18 ? new byte[] {msg[16], msg[17]} : new byte[0],
                    "header length does not match the " + msg.length + " octets given");
        }
        return decodeBody(msg[18] & 0xff, msg, HEADER_LENGTH, len - HEADER_LENGTH, ctx);
    }

    /** Decodes a body of {@code type} (header already checked). */
    public static Message decodeBody(int type, byte[] b, int off, int len, DecodeContext ctx) throws BgpError {
        Reader r = new Reader(b, off, len);
        return switch (type) {
            case Message.OPEN -> decodeOpen(r);
            case Message.UPDATE -> decodeUpdate(r, ctx);
            case Message.NOTIFICATION -> new Notification(r.u8(), r.u8(), r.bytes(r.remaining()));
            case Message.KEEPALIVE -> Keepalive.INSTANCE;
            case Message.ROUTE_REFRESH -> new RouteRefresh(r.u16(), r.u8(), r.u8());
            default -> throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_TYPE,
                    new byte[] {(byte) type}, "message type " + type);
        };
    }

    // ---------------------------------------------------------------- OPEN

    static Open decodeOpen(Reader r) throws BgpError {
        if (!r.has(10)) {
            throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_LENGTH, "OPEN too short");
        }
        int version = r.u8();
        if (version != 4) {
            throw new BgpError(BgpError.OPEN_MESSAGE, BgpError.UNSUPPORTED_VERSION, new byte[] {0, 4},
                    "version " + version);
        }
        int as = r.u16();
        int hold = r.u16();
        int id = r.i32();
        int optLen = r.u8();
        boolean extended = false;
        if (optLen == 255 && r.has(1) && (r.b[r.pos] & 0xff) == 255) {
            // RFC 9072 extended optional parameters length
            r.u8();
            if (!r.has(2)) {
                throw new BgpError(BgpError.OPEN_MESSAGE, 0, "truncated extended optional parameters length");
            }
            optLen = r.u16();
            extended = true;
        }
        if (optLen != r.remaining()) {
            throw new BgpError(BgpError.OPEN_MESSAGE, 0, "optional parameters length " + optLen + " but "
                    + r.remaining() + " octets follow");
        }
        List<Capability> caps = new ArrayList<>();
        int params = 0;
        while (r.remaining() > 0) {
            int hdr = extended ? 3 : 2;
            if (!r.has(hdr)) {
                throw new BgpError(BgpError.OPEN_MESSAGE, 0, "truncated optional parameter");
            }
            int ptype = r.u8();
            int plen = extended ? r.u16() : r.u8();
            if (!r.has(plen)) {
                throw new BgpError(BgpError.OPEN_MESSAGE, 0, "optional parameter overruns the message");
            }
            Reader p = r.slice(plen);
            if (ptype != 2) {
                throw new BgpError(BgpError.OPEN_MESSAGE, BgpError.UNSUPPORTED_OPTIONAL_PARAMETER,
                        "optional parameter type " + ptype);
            }
            params++;
            while (p.remaining() > 0) {
                if (!p.has(2)) {
                    throw new BgpError(BgpError.OPEN_MESSAGE, 0, "truncated capability");
                }
                int code = p.u8();
                int clen = p.u8();
                if (!p.has(clen)) {
                    throw new BgpError(BgpError.OPEN_MESSAGE, 0, "capability " + code + " overruns its parameter");
                }
                caps.add(new Capability(code, p.bytes(clen)));
            }
        }
        if (hold == 1 || hold == 2) {
            throw new BgpError(BgpError.OPEN_MESSAGE, BgpError.UNACCEPTABLE_HOLD_TIME, "hold time " + hold);
        }
        return new Open(version, as, hold, id, caps, params == 1 && caps.size() > 1);
    }

    static void encodeOpen(Open o, Writer w) {
        w.u8(o.version()).u16(o.asField()).u16(o.holdTime()).i32(o.bgpId());
        int lenAt = w.pos;
        w.u8(0);
        if (o.oneParameter()) {
            w.u8(2);
            int pAt = w.pos;
            w.u8(0);
            for (Capability c : o.capabilities()) {
                w.u8(c.code()).u8(c.value().length).bytes(c.value());
            }
            w.b[pAt] = (byte) (w.pos - pAt - 1);
        } else {
            for (Capability c : o.capabilities()) {
                w.u8(2).u8(c.value().length + 2).u8(c.code()).u8(c.value().length).bytes(c.value());
            }
        }
        w.b[lenAt] = (byte) (w.pos - lenAt - 1);
    }

    // ---------------------------------------------------------------- UPDATE

    private static final class Attrs {
        final PathAttributes.Builder b = new PathAttributes.Builder();
        final List<AttributeError> errors = new ArrayList<>();
        boolean taw;
        MpReach reach;
        MpUnreach unreach;
        AsPath as4Path;
        long as4AggAs = -1;
        int as4AggAddr;
        boolean canonical = true;

        void taw(int type, int subcode, String reason) {
            taw = true;
            errors.add(new AttributeError(type, AttributeError.Action.TREAT_AS_WITHDRAW, subcode, reason));
        }

        void discard(int type, int subcode, String reason) {
            errors.add(new AttributeError(type, AttributeError.Action.ATTRIBUTE_DISCARD, subcode, reason));
        }
    }

    static Update decodeUpdate(Reader r, DecodeContext ctx) throws BgpError {
        if (!r.has(2)) {
            throw new BgpError(BgpError.MESSAGE_HEADER, BgpError.BAD_MESSAGE_LENGTH, "UPDATE too short");
        }
        int wlen = r.u16();
        if (!r.has(wlen + 2)) {
            throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.MALFORMED_ATTRIBUTE_LIST,
                    "withdrawn routes length " + wlen + " overruns the message");
        }
        List<Prefix> withdrawn = parseNlri(r.slice(wlen), false, BgpError.MALFORMED_ATTRIBUTE_LIST);
        int alen = r.u16();
        if (!r.has(alen)) {
            throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.MALFORMED_ATTRIBUTE_LIST,
                    "total path attribute length " + alen + " overruns the message");
        }
        Reader ar = r.slice(alen);
        List<Prefix> nlri = parseNlri(r, false, BgpError.INVALID_NETWORK_FIELD);
        Attrs a = new Attrs();
        parseAttributes(ar, ctx, a);

        boolean announces = !nlri.isEmpty() || (a.reach != null && (!a.reach.nlri().isEmpty() || a.reach.rawNlri().length > 0));
        if (announces && !a.taw) {
            if (!a.b.has(PathAttributes.ORIGIN)) {
                a.taw(PathAttributes.ORIGIN, BgpError.MISSING_WELL_KNOWN, "ORIGIN missing");
            }
            if (!a.b.has(PathAttributes.AS_PATH)) {
                a.taw(PathAttributes.AS_PATH, BgpError.MISSING_WELL_KNOWN, "AS_PATH missing");
            }
            if (!nlri.isEmpty() && !a.b.has(PathAttributes.NEXT_HOP)) {
                a.taw(PathAttributes.NEXT_HOP, BgpError.MISSING_WELL_KNOWN, "NEXT_HOP missing");
            }
        }
        if (!ctx.as4()) {
            // RFC 6793 4.2.3: rebuild the real path and aggregator from AS4_PATH / AS4_AGGREGATOR
            boolean useAs4 = true;
            if (a.as4AggAs >= 0 && a.b.has(PathAttributes.AGGREGATOR)) {
                if (a.b.aggregatorAs != AsPath.AS_TRANS) {
                    useAs4 = false;
                } else {
                    a.b.aggregator(a.as4AggAs, a.as4AggAddr);
                }
            }
            if (useAs4 && a.as4Path != null && a.b.has(PathAttributes.AS_PATH)) {
                a.b.asPath(AsPath.merge(a.b.asPath(), a.as4Path));
            }
        }
        return new Update(withdrawn, a.b.build(), nlri, a.reach, a.unreach, a.errors, a.taw, a.canonical);
    }

    static List<Prefix> parseNlri(Reader r, boolean v6, int subcode) throws BgpError {
        if (r.remaining() == 0) {
            return List.of();
        }
        if (!v6) {
            return parseIpv4Nlri(r, subcode);
        }
        List<Prefix> out = new ArrayList<>(Math.min(r.remaining(), 64));
        int max = v6 ? 128 : 32;
        while (r.remaining() > 0) {
            int len = r.u8();
            if (len > max) {
                throw new BgpError(BgpError.UPDATE_MESSAGE, subcode, "prefix length " + len);
            }
            int n = (len + 7) / 8;
            if (!r.has(n)) {
                throw new BgpError(BgpError.UPDATE_MESSAGE, subcode, "prefix overruns its field");
            }
            out.add(Prefix.fromWire(v6, len, r.b, r.pos, n));
            r.pos += n;
        }
        return out;
    }

    /** IPv4 prefixes straight into {@link Prefix#v4Key()} form: no object per prefix. */
    private static Ipv4Nlri parseIpv4Nlri(Reader r, int subcode) throws BgpError {
        byte[] b = r.b;
        int pos = r.pos;
        int end = pos + r.remaining();
        // sized for /24s (4 octets each), grown for shorter ones
        long[] keys = new long[(end - pos) / 4 + 1];
        int n = 0;
        while (pos < end) {
            int len = b[pos++] & 0xff;
            if (len > 32) {
                r.pos = pos;
                throw new BgpError(BgpError.UPDATE_MESSAGE, subcode, "prefix length " + len);
            }
            int octets = (len + 7) >>> 3;
            if (end - pos < octets) {
                r.pos = pos;
                throw new BgpError(BgpError.UPDATE_MESSAGE, subcode, "prefix overruns its field");
            }
            long addr = 0;
            for (int i = 0; i < 4; i++) {
                addr = (addr << 8) | (i < octets ? b[pos + i] & 0xff : 0);
            }
            pos += octets;
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            if (n == keys.length) {
                keys = java.util.Arrays.copyOf(keys, n * 2);
            }
            keys[n++] = ((addr & mask) << 8) | len;
        }
        r.pos = pos;
        return new Ipv4Nlri(keys, n);
    }

    private static boolean wellKnownFlags(int flags) {
        return (flags & 0xc0) == 0x40;
    }

    private static void parseAttributes(Reader r, DecodeContext ctx, Attrs a) throws BgpError {
        long seen = 0;
        java.util.Set<Integer> seenHigh = null;
        int lastType = -1;
        while (r.remaining() > 0) {
            int start = r.pos;
            if (!r.has(3)) {
                overrun(a, "truncated attribute header");
                return;
            }
            int flags = r.u8();
            int type = r.u8();
            boolean ext = (flags & RawAttribute.EXTENDED_LENGTH) != 0;
            if (ext && !r.has(2)) {
                overrun(a, "truncated attribute length");
                return;
            }
            int len = ext ? r.u16() : r.u8();
            if (!r.has(len)) {
                overrun(a, "attribute " + type + " length " + len + " overruns the attribute field");
                return;
            }
            Reader v = r.slice(len);
            if (type <= lastType) {
                a.canonical = false;
            }
            lastType = type;
            if ((!ext && len > 255) || (ext && len <= 255 && type != PathAttributes.MP_REACH && type != PathAttributes.MP_UNREACH)) {
                // extended length on a short attribute is legal but not our canonical form
                if (ext) {
                    a.b.flags(type < 64 ? type : 0, false, false);
                }
            }
            boolean dup;
            if (type < 64) {
                dup = (seen & (1L << type)) != 0;
                seen |= 1L << type;
            } else {
                if (seenHigh == null) {
                    seenHigh = new java.util.HashSet<>();
                }
                dup = !seenHigh.add(type);
            }
            if (dup) {
                if (type == PathAttributes.MP_REACH || type == PathAttributes.MP_UNREACH) {
                    throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.MALFORMED_ATTRIBUTE_LIST,
                            "repeated MP attribute " + type);
                }
                a.discard(type, BgpError.MALFORMED_ATTRIBUTE_LIST, "repeated attribute " + type + " ignored");
                continue;
            }
            int attrEnd = r.pos;
            decodeAttribute(flags, type, len, v, ctx, a, r.b, start, attrEnd);
            if (type < 64) {
                a.b.flags(type, ext, (flags & RawAttribute.PARTIAL) != 0);
            }
        }
    }

    private static void overrun(Attrs a, String reason) throws BgpError {
        if (a.reach != null || a.unreach != null) {
            throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.MALFORMED_ATTRIBUTE_LIST, reason);
        }
        a.taw(0, BgpError.MALFORMED_ATTRIBUTE_LIST, reason);
    }

    private static void decodeAttribute(int flags, int type, int len, Reader v, DecodeContext ctx, Attrs a,
                                        byte[] raw, int start, int end) throws BgpError {
        switch (type) {
            case PathAttributes.ORIGIN -> {
                if (!wellKnownFlags(flags) || len != 1) {
                    a.taw(type, len != 1 ? BgpError.ATTRIBUTE_LENGTH : BgpError.ATTRIBUTE_FLAGS, "bad ORIGIN");
                    return;
                }
                int o = v.u8();
                if (o > 2) {
                    a.taw(type, BgpError.INVALID_ORIGIN, "ORIGIN value " + o);
                    return;
                }
                a.b.origin(o);
            }
            case PathAttributes.AS_PATH -> {
                if (!wellKnownFlags(flags)) {
                    a.taw(type, BgpError.ATTRIBUTE_FLAGS, "AS_PATH flags");
                    return;
                }
                AsPath p = parseAsPath(v, ctx.as4());
                if (p == null) {
                    a.taw(type, BgpError.MALFORMED_AS_PATH, "malformed AS_PATH");
                    return;
                }
                a.b.asPath(p);
            }
            case PathAttributes.NEXT_HOP -> {
                if (!wellKnownFlags(flags) || len != 4) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "NEXT_HOP length " + len);
                    return;
                }
                a.b.nextHop(v.i32());
            }
            case PathAttributes.MED -> {
                if ((flags & 0xc0) != 0x80 || len != 4) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "MULTI_EXIT_DISC length " + len);
                    return;
                }
                a.b.med(v.u32());
            }
            case PathAttributes.LOCAL_PREF -> {
                if (!wellKnownFlags(flags) || len != 4) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "LOCAL_PREF length " + len);
                    return;
                }
                long lp = v.u32();
                if (!ctx.ibgp()) {
                    a.discard(type, 0, "LOCAL_PREF from an external peer ignored");
                    return;
                }
                a.b.localPref(lp);
            }
            case PathAttributes.ATOMIC_AGGREGATE -> {
                if (!wellKnownFlags(flags) || len != 0) {
                    a.discard(type, BgpError.ATTRIBUTE_LENGTH, "ATOMIC_AGGREGATE length " + len);
                    return;
                }
                a.b.atomicAggregate();
            }
            case PathAttributes.AGGREGATOR -> {
                int want = ctx.as4() ? 8 : 6;
                if ((flags & 0xc0) != 0xc0 || len != want) {
                    a.discard(type, BgpError.ATTRIBUTE_LENGTH, "AGGREGATOR length " + len);
                    return;
                }
                long as = ctx.as4() ? v.u32() : v.u16();
                a.b.aggregator(as, v.i32());
            }
            case PathAttributes.COMMUNITIES -> {
                if ((flags & 0xc0) != 0xc0 || len == 0 || len % 4 != 0) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "COMMUNITIES length " + len);
                    return;
                }
                a.b.communities(ints(v, len / 4));
            }
            case PathAttributes.ORIGINATOR_ID -> {
                if ((flags & 0xc0) != 0x80 || len != 4) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "ORIGINATOR_ID length " + len);
                    return;
                }
                a.b.originatorId(v.i32());
            }
            case PathAttributes.CLUSTER_LIST -> {
                if ((flags & 0xc0) != 0x80 || len == 0 || len % 4 != 0) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "CLUSTER_LIST length " + len);
                    return;
                }
                a.b.clusterList(ints(v, len / 4));
            }
            case PathAttributes.LARGE_COMMUNITY -> {
                if ((flags & 0xc0) != 0xc0 || len == 0 || len % 12 != 0) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "LARGE_COMMUNITY length " + len);
                    return;
                }
                a.b.largeCommunities(ints(v, len / 4));
            }
            case PathAttributes.MP_REACH -> a.reach = parseMpReach(v, flags);
            case PathAttributes.MP_UNREACH -> a.unreach = parseMpUnreach(v, flags);
            case PathAttributes.AS4_PATH -> {
                if (ctx.as4()) {
                    a.discard(type, 0, "AS4_PATH on a 4-octet-AS session ignored");
                    return;
                }
                AsPath p = (flags & 0xc0) == 0xc0 ? parseAsPath(v, true) : null;
                if (p == null) {
                    a.discard(type, BgpError.OPTIONAL_ATTRIBUTE, "malformed AS4_PATH");
                    return;
                }
                a.as4Path = p;
            }
            case PathAttributes.AS4_AGGREGATOR -> {
                if (ctx.as4()) {
                    a.discard(type, 0, "AS4_AGGREGATOR on a 4-octet-AS session ignored");
                    return;
                }
                if ((flags & 0xc0) != 0xc0 || len != 8) {
                    a.discard(type, BgpError.OPTIONAL_ATTRIBUTE, "AS4_AGGREGATOR length " + len);
                    return;
                }
                a.as4AggAs = v.u32();
                a.as4AggAddr = v.i32();
            }
            default -> {
                if ((flags & RawAttribute.OPTIONAL) == 0) {
                    byte[] data = new byte[end - start];
                    System.arraycopy(raw, start, data, 0, data.length);
                    throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.UNRECOGNIZED_WELL_KNOWN, data,
                            "unrecognized well-known attribute " + type);
                }
                if (type == PathAttributes.EXTENDED_COMMUNITIES && (len == 0 || len % 8 != 0)) {
                    a.taw(type, BgpError.ATTRIBUTE_LENGTH, "EXTENDED_COMMUNITIES length " + len);
                    return;
                }
                a.b.other(new RawAttribute(flags, type, v.bytes(len)));
            }
        }
    }

    private static int[] ints(Reader v, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = v.i32();
        }
        return out;
    }

    /** Null when malformed (RFC 7606 7.2): unknown segment type, empty segment, overrun. */
    static AsPath parseAsPath(Reader v, boolean as4) {
        AsPath.Builder b = new AsPath.Builder();
        int size = as4 ? 4 : 2;
        while (v.remaining() > 0) {
            if (!v.has(2)) {
                return null;
            }
            int t = v.u8();
            int n = v.u8();
            if (t < 1 || t > 4 || n == 0 || !v.has(n * size)) {
                return null;
            }
            int[] asns = new int[n];
            for (int i = 0; i < n; i++) {
                asns[i] = as4 ? v.i32() : v.u16();
            }
            b.segmentInts(t, asns, 0, n);
        }
        return b.build();
    }

    static MpReach parseMpReach(Reader v, int flags) throws BgpError {
        if (!v.has(5)) {
            throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.OPTIONAL_ATTRIBUTE, "MP_REACH_NLRI too short");
        }
        int afi = v.u16();
        int safi = v.u8();
        int nhLen = v.u8();
        if (!v.has(nhLen + 1)) {
            throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.OPTIONAL_ATTRIBUTE, "MP_REACH_NLRI next hop overruns");
        }
        byte[] nh = v.bytes(nhLen);
        v.u8(); // reserved
        Family f = Family.of(afi, safi);
        if (f.isUnicastIp()) {
            boolean v6 = afi == Family.AFI_IPV6;
            boolean nhOk = nhLen == 4 || nhLen == 16 || nhLen == 32; // RFC 8950 allows the other family
            if (!nhOk) {
                throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.OPTIONAL_ATTRIBUTE,
                        "MP_REACH_NLRI next hop length " + nhLen + " for " + f);
            }
            return new MpReach(f, nh, parseNlri(v, v6, BgpError.OPTIONAL_ATTRIBUTE), null, flags);
        }
        return new MpReach(f, nh, List.of(), v.bytes(v.remaining()), flags);
    }

    static MpUnreach parseMpUnreach(Reader v, int flags) throws BgpError {
        if (!v.has(3)) {
            throw new BgpError(BgpError.UPDATE_MESSAGE, BgpError.OPTIONAL_ATTRIBUTE, "MP_UNREACH_NLRI too short");
        }
        Family f = Family.of(v.u16(), v.u8());
        if (f.isUnicastIp()) {
            return new MpUnreach(f, parseNlri(v, f.afi() == Family.AFI_IPV6, BgpError.OPTIONAL_ATTRIBUTE), null, flags);
        }
        return new MpUnreach(f, List.of(), v.bytes(v.remaining()), flags);
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes a whole message with its header. */
    public static byte[] encode(Message m, DecodeContext ctx) {
        Writer w = new Writer(64);
        w.bytes(MARKER).u16(0).u8(m.type());
        if (m instanceof Open o) {
            encodeOpen(o, w);
        } else if (m instanceof Update u) {
            encodeUpdate(u, ctx, w);
        } else if (m instanceof Notification n) {
            w.u8(n.code()).u8(n.subcode()).bytes(n.data());
        } else if (m instanceof RouteRefresh rr) {
            w.u16(rr.afi()).u8(rr.subtype()).u8(rr.safi());
        }
        w.putU16(16, w.pos);
        return w.toArray();
    }

    /** The encoded size of an update, to pack prefixes without exceeding {@link #MAX_LENGTH}. */
    public static int encodedLength(Update u, DecodeContext ctx) {
        return encode(u, ctx).length;
    }

    private static final byte[] MARKER = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

    private static void encodeUpdate(Update u, DecodeContext ctx, Writer w) {
        int wAt = w.pos;
        w.u16(0);
        for (Prefix p : u.withdrawn()) {
            p.write(w);
        }
        w.putU16(wAt, w.pos - wAt - 2);
        int aAt = w.pos;
        w.u16(0);
        PathAttributes a = u.attributes();
        // attributes in ascending type order, MP and unknown ones merged in
        List<RawAttribute> others = a.others();
        int oi = 0;
        for (int type = 1; type < 256; type++) {
            while (oi < others.size() && others.get(oi).type() < type) {
                writeRaw(w, others.get(oi++));
            }
            switch (type) {
                case PathAttributes.ORIGIN -> {
                    if (a.has(type)) {
                        attr(w, a, type, 0x40, 1).u8(a.origin());
                    }
                }
                case PathAttributes.AS_PATH -> {
                    if (a.has(type)) {
                        AsPath p = a.asPath();
                        attr(w, a, type, 0x40, p.wireSize(ctx.as4()));
                        p.write(w, ctx.as4());
                    }
                }
                case PathAttributes.NEXT_HOP -> {
                    if (a.has(type)) {
                        attr(w, a, type, 0x40, 4).i32(a.nextHop());
                    }
                }
                case PathAttributes.MED -> {
                    if (a.has(type)) {
                        attr(w, a, type, 0x80, 4).u32(a.med());
                    }
                }
                case PathAttributes.LOCAL_PREF -> {
                    if (a.has(type)) {
                        attr(w, a, type, 0x40, 4).u32(a.localPref());
                    }
                }
                case PathAttributes.ATOMIC_AGGREGATE -> {
                    if (a.has(type)) {
                        attr(w, a, type, 0x40, 0);
                    }
                }
                case PathAttributes.AGGREGATOR -> {
                    if (a.has(type)) {
                        long as = a.aggregatorAs();
                        if (ctx.as4()) {
                            attr(w, a, type, 0xc0, 8).u32(as).i32(a.aggregatorAddress());
                        } else {
                            attr(w, a, type, 0xc0, 6).u16(as > 0xffff ? AsPath.AS_TRANS : (int) as)
                                    .i32(a.aggregatorAddress());
                        }
                    }
                }
                case PathAttributes.COMMUNITIES -> {
                    if (a.has(type)) {
                        int[] c = a.communities();
                        attr(w, a, type, 0xc0, c.length * 4);
                        for (int x : c) {
                            w.i32(x);
                        }
                    }
                }
                case PathAttributes.ORIGINATOR_ID -> {
                    if (a.has(type)) {
                        attr(w, a, type, 0x80, 4).i32(a.originatorId());
                    }
                }
                case PathAttributes.CLUSTER_LIST -> {
                    if (a.has(type)) {
                        int[] c = a.clusterList();
                        attr(w, a, type, 0x80, c.length * 4);
                        for (int x : c) {
                            w.i32(x);
                        }
                    }
                }
                case PathAttributes.MP_REACH -> {
                    if (u.mpReach() != null) {
                        writeMpReach(w, u.mpReach());
                    }
                }
                case PathAttributes.MP_UNREACH -> {
                    if (u.mpUnreach() != null) {
                        writeMpUnreach(w, u.mpUnreach());
                    }
                }
                case PathAttributes.AS4_PATH -> {
                    if (!ctx.as4() && a.has(PathAttributes.AS_PATH) && a.asPath().needsAs4()) {
                        AsPath p = a.asPath().withoutConfed();
                        header(w, 0xc0, type, p.wireSize(true), false);
                        p.write(w, true);
                    }
                }
                case PathAttributes.AS4_AGGREGATOR -> {
                    if (!ctx.as4() && a.has(PathAttributes.AGGREGATOR) && a.aggregatorAs() > 0xffff) {
                        header(w, 0xc0, type, 8, false);
                        w.u32(a.aggregatorAs()).i32(a.aggregatorAddress());
                    }
                }
                case PathAttributes.LARGE_COMMUNITY -> {
                    if (a.has(type)) {
                        int[] c = a.largeCommunities();
                        attr(w, a, type, 0xc0, c.length * 4);
                        for (int x : c) {
                            w.i32(x);
                        }
                    }
                }
                default -> {
                }
            }
            while (oi < others.size() && others.get(oi).type() == type) {
                writeRaw(w, others.get(oi++));
            }
        }
        w.putU16(aAt, w.pos - aAt - 2);
        for (Prefix p : u.nlri()) {
            p.write(w);
        }
    }

    private static Writer attr(Writer w, PathAttributes a, int type, int flags, int len) {
        if (a.partial(type)) {
            flags |= RawAttribute.PARTIAL;
        }
        return header(w, flags, type, len, a.extendedLength(type));
    }

    private static Writer header(Writer w, int flags, int type, int len, boolean ext) {
        if (ext || len > 255) {
            w.u8(flags | RawAttribute.EXTENDED_LENGTH).u8(type).u16(len);
        } else {
            w.u8(flags & ~RawAttribute.EXTENDED_LENGTH).u8(type).u8(len);
        }
        return w;
    }

    private static void writeRaw(Writer w, RawAttribute r) {
        header(w, r.flags() & 0xe0, r.type(), r.value().length, (r.flags() & RawAttribute.EXTENDED_LENGTH) != 0);
        w.bytes(r.value());
    }

    private static void writeMpReach(Writer w, MpReach m) {
        Writer body = new Writer(64);
        body.u16(m.family().afi()).u8(m.family().safi()).u8(m.nextHop().length).bytes(m.nextHop()).u8(0);
        for (Prefix p : m.nlri()) {
            p.write(body);
        }
        body.bytes(m.rawNlri());
        header(w, 0x80, PathAttributes.MP_REACH, body.pos, (m.flags() & RawAttribute.EXTENDED_LENGTH) != 0);
        w.bytes(body.b, 0, body.pos);
    }

    private static void writeMpUnreach(Writer w, MpUnreach m) {
        Writer body = new Writer(64);
        body.u16(m.family().afi()).u8(m.family().safi());
        for (Prefix p : m.withdrawn()) {
            p.write(body);
        }
        body.bytes(m.rawNlri());
        header(w, 0x80, PathAttributes.MP_UNREACH, body.pos, (m.flags() & RawAttribute.EXTENDED_LENGTH) != 0);
        w.bytes(body.b, 0, body.pos);
    }

    /** Hex helpers for tools and tests. */
    public static byte[] fromHex(String hex) {
        String h = hex.replaceAll("[\\s:]", "");
        if (h.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(h.charAt(2 * i), 16);
            int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit near offset " + (2 * i));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    public static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
