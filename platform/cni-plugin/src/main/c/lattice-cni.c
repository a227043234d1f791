/*
 * lattice: the CNI plugin executable of the Lattice node agent.
 *
 * It does no networking itself. It checks the CNI environment and the network configuration on
 * stdin, forwards both to the agent over a unix socket and prints the agent's answer. Protocol
 * (docs/cni.md): one request, a JSON object
 *   {"command":..,"containerId":..,"netns":..,"ifName":..,"args":..,"path":..,"config":<stdin>}
 * then shutdown(SHUT_WR); one response, "<exit code>\n<body>", body printed verbatim to stdout.
 *
 * Written in C so that a runtime's call costs a fork+exec and a socket round trip, not a JVM
 * start. Every buffer is bounded; hostile input ends in a CNI error object, never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONFIG   (1024 * 1024)      /* network configuration on stdin */
#define MAX_RESPONSE (4 * 1024 * 1024)  /* the agent's answer */
#define MAX_DEPTH    64                 /* JSON nesting */
#define MAX_STR      512                /* extracted string values */
#define DEFAULT_SOCKET "/run/lattice/cni.sock"
#define AGENT_TIMEOUT_SECONDS 240

/* CNI error codes (spec 1.1.0, "Error" section) */
enum {
    E_INCOMPATIBLE = 1, E_UNSUPPORTED_FIELD = 2, E_UNKNOWN_CONTAINER = 3, E_BAD_ENV = 4,
    E_IO = 5, E_DECODE = 6, E_INVALID_CONFIG = 7, E_TRY_AGAIN = 11, E_UNAVAILABLE = 50
};

static const char *cni_version = "1.0.0"; /* echoed in errors; replaced by the config's */
static char version_buf[MAX_STR];

static void json_escape(FILE *out, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
        } else if (c < 0x20 || c == 0x7f) {
            fputs("\\u00", out);
            fputc(hex[c >> 4], out);
            fputc(hex[c & 15], out);
        } else {
            fputc(c, out);
        }
    }
}

static void fail(int code, const char *details, const char *fmt, ...) __attribute__((noreturn, format(printf, 3, 4)));

static void fail(int code, const char *details, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("{\"cniVersion\":\"", stdout);
    json_escape(stdout, cni_version, strlen(cni_version));
    printf("\",\"code\":%d,\"msg\":\"", code);
    json_escape(stdout, msg, strlen(msg));
    fputs("\"", stdout);
    if (details && *details) {
        fputs(",\"details\":\"", stdout);
        json_escape(stdout, details, strlen(details));
        fputs("\"", stdout);
    }
    fputs("}\n", stdout);
    fflush(stdout);
    exit(1);
}

/* ---- a strict, bounded JSON validator that also picks two top-level string members ---- */

struct parser {
    const char *p, *end;
    int depth;
    const char *err;
    char socket[MAX_STR];
    char version[MAX_STR];
    int has_version, has_socket, version_is_string, socket_is_string;
};

static void ws(struct parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parses a string; when out != NULL copies it (simple escapes only; \u sets *plain = 0). */
static int string(struct parser *ps, char *out, size_t cap, size_t *outlen, int *plain) {
    size_t n = 0;
    if (plain) *plain = 1;
    if (ps->p >= ps->end || *ps->p != '"') { ps->err = "expected a string"; return 0; }
    ps->p++;
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char) *ps->p++;
        if (c == '"') {
            if (out) out[n < cap ? n : cap - 1] = 0;
            if (outlen) *outlen = n;
            return 1;
        }
        if (c < 0x20) { ps->err = "control character in a string"; return 0; }
        if (c == '\\') {
            if (ps->p >= ps->end) break;
            char e = *ps->p++;
            switch (e) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
                if (ps->end - ps->p < 4) { ps->err = "truncated \\u escape"; return 0; }
                for (int i = 0; i < 4; i++) {
                    if (hexval(ps->p[i]) < 0) { ps->err = "bad \\u escape"; return 0; }
                }
                ps->p += 4;
                if (plain) *plain = 0;
                c = '?';
                break;
            default:
                ps->err = "bad escape in a string";
                return 0;
            }
        }
        if (out && n + 1 < cap) out[n] = (char) c;
        else if (out && plain) *plain = 0; /* too long to copy */
        n++;
    }
    ps->err = "unterminated string";
    return 0;
}

static int value(struct parser *ps, int top_level_object);

static int number(struct parser *ps) {
    const char *s = ps->p;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    if (ps->p >= ps->end) goto bad;
    if (*ps->p == '0') ps->p++;
    else if (*ps->p >= '1' && *ps->p <= '9') while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    else goto bad;
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') goto bad;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') goto bad;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    return ps->p > s;
bad:
    ps->err = "bad number";
    return 0;
}

static int literal(struct parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t) (ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) { ps->err = "unexpected token"; return 0; }
    ps->p += n;
    return 1;
}

static int object(struct parser *ps, int top) {
    ps->p++; /* '{' */
    ws(ps);
    if (ps->p < ps->end && *ps->p == '}') { ps->p++; return 1; }
    for (;;) {
        char key[32];
        size_t klen = 0;
        ws(ps);
        if (!string(ps, key, sizeof key, &klen, NULL)) return 0;
        ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') { ps->err = "expected ':'"; return 0; }
        ps->p++;
        ws(ps);
        int is_version = top && klen == 10 && strcmp(key, "cniVersion") == 0;
        int is_socket = top && klen == 6 && strcmp(key, "socket") == 0;
        if ((is_version || is_socket) && ps->p < ps->end && *ps->p == '"') {
            int plain = 1;
            char *dst = is_version ? ps->version : ps->socket;
            if (!string(ps, dst, MAX_STR, NULL, &plain)) return 0;
            if (is_version) { ps->has_version = 1; ps->version_is_string = plain; }
            else { ps->has_socket = 1; ps->socket_is_string = plain; }
        } else {
            if (is_version) { ps->has_version = 1; ps->version_is_string = 0; }
            if (is_socket) { ps->has_socket = 1; ps->socket_is_string = 0; }
            if (!value(ps, 0)) return 0;
        }
        ws(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == '}') { ps->p++; return 1; }
        ps->err = "expected ',' or '}'";
        return 0;
    }
}

static int array(struct parser *ps) {
    ps->p++; /* '[' */
    ws(ps);
    if (ps->p < ps->end && *ps->p == ']') { ps->p++; return 1; }
    for (;;) {
        ws(ps);
        if (!value(ps, 0)) return 0;
        ws(ps);
        if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
        if (ps->p < ps->end && *ps->p == ']') { ps->p++; return 1; }
        ps->err = "expected ',' or ']'";
        return 0;
    }
}

static int value(struct parser *ps, int top) {
    int ok;
    ws(ps);
    if (ps->p >= ps->end) { ps->err = "unexpected end of input"; return 0; }
    if (++ps->depth > MAX_DEPTH) { ps->err = "nested too deeply"; return 0; }
    switch (*ps->p) {
    case '{': ok = object(ps, top); break;
    case '[': ok = array(ps); break;
    case '"': ok = string(ps, NULL, 0, NULL, NULL); break;
    case 't': ok = literal(ps, "true"); break;
    case 'f': ok = literal(ps, "false"); break;
    case 'n': ok = literal(ps, "null"); break;
    default: ok = number(ps); break;
    }
    ps->depth--;
    return ok;
}

/* ---- I/O ---- */

static char *read_all(int fd, size_t max, size_t *len, int *too_big) {
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap + 1);
    *too_big = 0;
    if (!buf) return NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= max) { *too_big = 1; break; }
            size_t ncap = cap * 2 > max ? max : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) { free(buf); return NULL; }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            free(buf);
            return NULL;
        }
        if (r == 0) break;
        n += (size_t) r;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

static void env_member(FILE *out, const char *key, const char *value, int comma) {
    fprintf(out, "%s\"%s\":\"", comma ? "," : "", key);
    if (value) json_escape(out, value, strlen(value));
    fputc('"', out);
}

static int valid_container_id(const char *s) {
    if (!*s) return 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || ((c == '_' || c == '.' || c == '-') && p != s))) return 0;
    }
    return 1;
}

static int valid_ifname(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) return 0;
    for (const char *p = s; *p; p++) {
        if (*p == '/' || *p == ':' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') return 0;
    }
    return 1;
}

int main(void) {
    const char *command = getenv("CNI_COMMAND");
    const char *container = getenv("CNI_CONTAINERID");
    const char *netns = getenv("CNI_NETNS");
    const char *ifname = getenv("CNI_IFNAME");
    const char *args = getenv("CNI_ARGS");
    const char *path = getenv("CNI_PATH");
    size_t cfg_len = 0;
    int too_big = 0;

    char *cfg = read_all(0, MAX_CONFIG, &cfg_len, &too_big);
    if (!cfg) fail(E_IO, strerror(errno), "cannot read the network configuration from stdin");

    struct parser ps = {0};
    int parsed = 0;
    if (!too_big && cfg_len > 0 && memchr(cfg, 0, cfg_len) == NULL) {
        ps.p = cfg;
        ps.end = cfg + cfg_len;
        ws(&ps);
        if (ps.p < ps.end && *ps.p == '{') {
            parsed = value(&ps, 1);
            if (parsed) {
                ws(&ps);
                if (ps.p != ps.end) { parsed = 0; ps.err = "trailing data after the configuration"; }
            }
        } else {
            ps.err = "the network configuration must be a JSON object";
        }
        if (parsed && ps.has_version && ps.version_is_string) {
            snprintf(version_buf, sizeof version_buf, "%s", ps.version);
            cni_version = version_buf;
        }
    }

    if (!command || !*command) fail(E_BAD_ENV, NULL, "CNI_COMMAND is not set");
    int is_version = strcmp(command, "VERSION") == 0;
    if (is_version) {
        /* Answered here: works without the agent. Input is optional for VERSION. */
        printf("{\"cniVersion\":\"");
        json_escape(stdout, cni_version, strlen(cni_version));
        printf("\",\"supportedVersions\":[\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
        return 0;
    }
    int add = strcmp(command, "ADD") == 0, del = strcmp(command, "DEL") == 0,
        check = strcmp(command, "CHECK") == 0, status = strcmp(command, "STATUS") == 0,
        gc = strcmp(command, "GC") == 0;
    if (!(add || del || check || status || gc)) fail(E_BAD_ENV, command, "CNI_COMMAND '%.64s' is not one of ADD, DEL, CHECK, VERSION, STATUS, GC", command);

    if (too_big) fail(E_DECODE, NULL, "the network configuration is larger than %d bytes", MAX_CONFIG);
    if (cfg_len == 0) fail(E_DECODE, NULL, "no network configuration on stdin");
    if (!parsed) fail(E_DECODE, ps.err ? ps.err : "NUL byte in input", "cannot decode the network configuration: %s at byte %ld",
                      ps.err ? ps.err : "NUL byte", ps.p ? (long) (ps.p - cfg) : 0L);
    if (!ps.has_version || !ps.version_is_string) fail(E_INVALID_CONFIG, NULL, "the network configuration has no string 'cniVersion'");
    if (ps.has_socket && (!ps.socket_is_string || ps.socket[0] != '/'))
        fail(E_INVALID_CONFIG, NULL, "'socket' must be an absolute path");

    if (add || del || check) {
        if (!container || !*container) fail(E_BAD_ENV, NULL, "CNI_CONTAINERID is not set");
        if (!valid_container_id(container)) fail(E_BAD_ENV, NULL, "CNI_CONTAINERID has characters other than letters, digits, '_', '.' and '-'");
        if (!ifname || !*ifname) fail(E_BAD_ENV, NULL, "CNI_IFNAME is not set");
        if (!valid_ifname(ifname)) fail(E_BAD_ENV, NULL, "CNI_IFNAME '%.32s' is not a valid interface name", ifname);
        if (!del && (!netns || !*netns)) fail(E_BAD_ENV, NULL, "CNI_NETNS is not set");
    }

    const char *sock_path = ps.has_socket ? ps.socket : DEFAULT_SOCKET;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(sock_path) >= sizeof addr.sun_path) fail(E_INVALID_CONFIG, NULL, "'socket' path is longer than %zu bytes", sizeof addr.sun_path - 1);
    memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);

    int unreachable = status ? E_UNAVAILABLE : E_TRY_AGAIN;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail(E_IO, strerror(errno), "cannot create a unix socket");
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0)
        fail(unreachable, strerror(errno), "the Lattice agent is not reachable at %s; is it running?", sock_path);
    struct timeval tv = {.tv_sec = AGENT_TIMEOUT_SECONDS};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

    char *req = NULL;
    size_t req_len = 0;
    FILE *out = open_memstream(&req, &req_len);
    if (!out) fail(E_IO, strerror(errno), "out of memory");
    fputs("{", out);
    env_member(out, "command", command, 0);
    env_member(out, "containerId", container, 1);
    env_member(out, "netns", netns, 1);
    env_member(out, "ifName", ifname, 1);
    env_member(out, "args", args, 1);
    env_member(out, "path", path, 1);
    fputs(",\"config\":", out);
    fwrite(cfg, 1, cfg_len, out);
    fputs("}", out);
    if (fclose(out) != 0) fail(E_IO, strerror(errno), "out of memory");

    if (write_all(fd, req, req_len) != 0)
        fail(unreachable, strerror(errno), "sending the request to the Lattice agent at %s failed", sock_path);
    shutdown(fd, SHUT_WR);

    size_t resp_len = 0;
    char *resp = read_all(fd, MAX_RESPONSE, &resp_len, &too_big);
    if (!resp) fail(unreachable, strerror(errno), "no answer from the Lattice agent at %s", sock_path);
    if (too_big) fail(E_IO, NULL, "the Lattice agent's answer is larger than %d bytes", MAX_RESPONSE);
    if (resp_len == 0) fail(unreachable, NULL, "the Lattice agent closed the connection without an answer (restarting?)");
    char *nl = memchr(resp, '\n', resp_len);
    int code = 0, digits = 0;
    for (char *p = resp; nl && p < nl; p++) {
        if (*p < '0' || *p > '9' || ++digits > 3) { nl = NULL; break; }
        code = code * 10 + (*p - '0');
    }
    if (!nl || digits == 0) fail(E_IO, NULL, "the Lattice agent's answer is malformed");
    size_t body = (size_t) (nl + 1 - resp);
    if (resp_len > body) fwrite(resp + body, 1, resp_len - body, stdout);
    fflush(stdout);
    return code > 255 ? 1 : code;
}
