// Kernel log lines formatted as util-linux `dmesg` prints them, compiled to WebAssembly.
//
// The same rules as the TypeScript formatter (parse-bytes.ts, dmesg-line.ts, escape.ts, utf8.ts), which
// stays as the fallback and the reference: tests compare the two byte for byte on random input, and both
// against `dmesg -F`. Built by scripts/build-dmesg-wasm.sh into src/kmsg/dmesg-wasm-binary.ts.
//
// Memory is the caller's: it copies the input into this module's memory and gives the regions.
// No libc; -mbulk-memory turns copies into memory.copy; -msimd128 lets the scans look at 16 bytes at a
// time (plain text, the end of a line), which is most of the work.

#include <wasm_simd128.h>

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

// 1 when a code point (>= 0xa0) is printable for dmesg (glibc iswprint), asked of the host: the
// answer comes from the same Unicode tables as the TypeScript formatter's.
__attribute__((import_module("env"), import_name("printable"))) int host_printable(u32 code_point);

// Why format() stopped.
#define STOP_END 0   // every complete line of the input was formatted
#define STOP_FULL 1  // the output has no room for the next line (returned position): flush and call again
#define STOP_GAP 2   // the line at the returned position follows a sequence gap of lost_records

// Options and results, shared with the host through exported accessors.
static int color;
static int track_sequence;
static double last_seq = -1;
static double lost_records;
static u32 skipped_lines;
static u32 out_used;
static u32 stop_reason;

// Printability of code points below 0x10000 as asked of the host: 0 unknown, 1 printable, 2 not.
static u8 printable_cache[0x10000];

static int printable(u32 code_point) {
  if (code_point < 0xa0) return 0;  // C1 controls (ASCII is handled before)
  if (code_point >= 0x10000) return host_printable(code_point);
  u8 known = printable_cache[code_point];
  if (known == 0) {
    known = host_printable(code_point) ? 1 : 2;
    printable_cache[code_point] = known;
  }
  return known == 1;
}

// Strict UTF-8 (as glibc's mbrtowc): (code point << 3) | length for a valid 2-4 byte sequence at
// p[0] within end, or -1.
static int decode_utf8(const u8 *p, const u8 *end) {
  u32 lead = p[0];
  u32 length, code_point, min = 0x80, max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code_point = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code_point = lead & 0x0f;
    if (lead == 0xe0) min = 0xa0;
    if (lead == 0xed) max = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xf0) min = 0x90;
    if (lead == 0xf4) max = 0x8f;
  } else {
    return -1;
  }
  if ((u32)(end - p) < length) return -1;
  for (u32 i = 1; i < length; i++) {
    u32 next = p[i];
    if (next < (i == 1 ? min : 0x80) || next > (i == 1 ? max : 0xbf)) return -1;
    code_point = (code_point << 6) | (next & 0x3f);
  }
  return (int)(code_point * 8 + length);
}

// Bytes of a 16-byte block that are the end of a line ('\n' or NUL), as a bit mask.
static u32 terminators(v128_t block) {
  return wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(block, wasm_i8x16_splat('\n')), wasm_i8x16_eq(block, wasm_i8x16_splat(0))));
}

// Bytes of a 16-byte block that are not printable ASCII or are '\\' (a signed compare with 0x20 also
// catches bytes >= 0x80), as a bit mask.
static u32 not_plain(v128_t block) {
  v128_t special = wasm_i8x16_lt(block, wasm_i8x16_splat(0x20));
  special = wasm_v128_or(special, wasm_i8x16_eq(block, wasm_i8x16_splat(0x7f)));
  special = wasm_v128_or(special, wasm_i8x16_eq(block, wasm_i8x16_splat('\\')));
  return wasm_i8x16_bitmask(special);
}

// The first '\n' or NUL in [p, end), or end.
static const u8 *find_line_end(const u8 *p, const u8 *end) {
  while (end - p >= 16) {
    u32 mask = terminators(wasm_v128_load(p));
    if (mask) return p + __builtin_ctz(mask);
    p += 16;
  }
  while (p < end && *p != '\n' && *p != 0) p++;
  return p;
}

#define MAX_SAFE 9007199254740991ULL

// Decimal digits at p (1 to 20 of them, at most 2^53 - 1) into *value; the end of the digits, or 0.
static const u8 *read_number(const u8 *p, const u8 *end, u64 *value) {
  const u8 *start = p;
  u64 v = 0;
  int over = 0;
  while (p < end && *p >= '0' && *p <= '9') {
    if (v > MAX_SAFE) over = 1;
    else v = v * 10 + (u64)(*p - '0');
    p++;
  }
  if (p == start || p - start > 20 || over || v > MAX_SAFE) return 0;
  *value = v;
  return p;
}

struct record {
  u64 prio, seq, usec;
  const u8 *text, *text_end;
  int plain;
};

// parseKmsgLineBytes: `prio,seq,usec[,flags];text` with printable ASCII or strict UTF-8 text.
static int parse_record(const u8 *p, const u8 *end, struct record *r) {
  if (end > p && end[-1] == '\r') end--;
  p = read_number(p, end, &r->prio);
  if (!p || p >= end || *p != ',') return 0;
  p = read_number(p + 1, end, &r->seq);
  if (!p || p >= end || *p != ',') return 0;
  p = read_number(p + 1, end, &r->usec);
  if (!p || p >= end) return 0;
  if (*p == ',') {
    p++;
    while (p < end && *p != ';') {
      if (*p < 0x20 || *p > 0x7e) return 0;
      p++;
    }
  }
  if (p >= end || *p != ';') return 0;
  r->text = ++p;
  r->text_end = end;
  int plain = 1;
  while (p < end) {
    if (end - p >= 16) {
      u32 mask = not_plain(wasm_v128_load(p));
      if (mask == 0) {
        p += 16;
        continue;
      }
      p += __builtin_ctz(mask);
    }
    u32 byte = *p;
    if (byte >= 0x20 && byte < 0x7f) {
      if (byte == '\\') plain = 0;
      p++;
    } else if (byte < 0x80) {
      return 0;
    } else {
      plain = 0;
      int decoded = decode_utf8(p, end);
      if (decoded < 0 || (u32)decoded >> 3 == 0xfffd) return 0;
      p += decoded & 7;
    }
  }
  r->plain = plain;
  return 1;
}

static int hex_value(u32 byte) {
  if (byte >= '0' && byte <= '9') return (int)(byte - '0');
  if (byte >= 'a' && byte <= 'f') return (int)(byte - 'a' + 10);
  if (byte >= 'A' && byte <= 'F') return (int)(byte - 'A' + 10);
  return -1;
}

// The kernel's \xNN escapes decoded into target; returns the decoded length.
static u32 unescape(const u8 *p, const u8 *end, u8 *target) {
  u8 *out = target;
  while (p < end) {
    if (*p == '\\' && end - p >= 4 && p[1] == 'x') {
      int high = hex_value(p[2]), low = hex_value(p[3]);
      if (high >= 0 && low >= 0) {
        *out++ = (u8)(high * 16 + low);
        p += 4;
        continue;
      }
    }
    *out++ = *p++;
  }
  return (u32)(out - target);
}

static u8 *put(u8 *out, const char *text) {
  while (*text) *out++ = (u8)*text++;
  return out;
}

static u8 *put_hex(u8 *out, u32 byte) {
  static const char digits[] = "0123456789abcdef";
  *out++ = '\\';
  *out++ = 'x';
  *out++ = (u8)digits[byte >> 4];
  *out++ = (u8)digits[byte & 15];
  return out;
}

// Copies [p, end) to out, a short run 16 bytes at a time: memory.copy is a call into the engine (tens of
// nanoseconds), more than a short line takes to copy. Reads and writes up to 15 bytes past the ends: the
// caller leaves that much room after every region.
static u8 *copy_text(u8 *out, const u8 *p, const u8 *end) {
  u8 *to = out + (end - p);
  if (end - p > 256) {
    __builtin_memcpy(out, p, (u32)(end - p));
    return to;
  }
  while (p < end) {
    wasm_v128_store(out, wasm_v128_load(p));
    out += 16;
    p += 16;
  }
  return to;
}

// `[%5llu.%06llu] `; *width gets its length (the indent of continued lines). Digits by 32-bit division
// where the value fits: WebAssembly has no 64-bit multiply-high, so a 64-bit division by a constant is a
// real division.
static u8 *put_timestamp(u8 *out, u64 usec, u32 *width) {
  u64 seconds = usec < 0x100000000ULL ? (u32)usec / 1000000u : usec / 1000000u;
  u32 micros = (u32)(usec - seconds * 1000000u);
  u32 length = 1;
  for (u64 rest = seconds; rest >= 10; rest /= 10) length++;
  u32 field = length < 5 ? 5 : length;
  *width = field + 10;
  *out++ = '[';
  for (u32 i = length; i < field; i++) *out++ = ' ';
  u8 *at = out + length;
  while (seconds >= 0x100000000ULL) {
    *--at = (u8)('0' + seconds % 10);
    seconds /= 10;
  }
  for (u32 small = (u32)seconds; at > out; small /= 10) *--at = (u8)('0' + small % 10);
  out += length;
  *out++ = '.';
  for (u32 i = 6; i > 0; i--) {
    out[i - 1] = (u8)('0' + micros % 10);
    micros /= 10;
  }
  out += 6;
  *out++ = ']';
  *out++ = ' ';
  return out;
}

// util-linux safe_fwrite in a UTF-8 locale: printable characters and white space as they are, anything
// else as \xNN; a line break followed by more text (before limit, not a NUL) is followed by indent spaces.
static u8 *put_safe(u8 *out, const u8 *p, const u8 *end, const u8 *limit, u32 indent) {
  while (p < end) {
    u32 byte = *p;
    if (byte >= 0x20 && byte < 0x7f) {
      *out++ = (u8)byte;
      p++;
    } else if (byte == '\n') {
      *out++ = '\n';
      if (indent > 0 && p + 1 < limit && p[1] != 0)
        for (u32 i = 0; i < indent; i++) *out++ = ' ';
      p++;
    } else if (byte == '\t' || byte == '\v' || byte == '\f' || byte == '\r') {
      *out++ = (u8)byte;
      p++;
    } else if (byte < 0x80) {
      out = put_hex(out, byte);
      p++;
    } else {
      int decoded = decode_utf8(p, end);
      if (decoded < 0) {
        out = put_hex(out, byte);
        p++;
      } else {
        u32 length = (u32)decoded & 7;
        if (printable((u32)decoded >> 3)) {
          for (u32 i = 0; i < length; i++) *out++ = p[i];
        } else {
          for (u32 i = 0; i < length; i++) out = put_hex(out, p[i]);
        }
        p += length;
      }
    }
  }
  return out;
}

static u8 *put_part(u8 *out, const u8 *p, const u8 *end, const u8 *limit, u32 indent, int plain) {
  if (!plain) return put_safe(out, p, end, limit, indent);
  return copy_text(out, p, end);
}

// End of the `subsystem: ` prefix dmesg colours (first ':' followed by a blank and more text), or 0.
static const u8 *subsystem_end(const u8 *p, const u8 *end) {
  for (; p < end; p++)
    if (*p == ':' && end - p > 2 && (p[1] == ' ' || p[1] == '\t')) return p + 2;
  return 0;
}

static int contains_segfault(const u8 *p, const u8 *end) {
  static const char needle[] = "segfault at";
  const u32 length = sizeof needle - 1;
  for (; end - p >= (long)length; p++) {
    u32 k = 0;
    while (k < length && p[k] == (u8)needle[k]) k++;
    if (k == length) return 1;
  }
  return 0;
}

static const char *level_color(u64 level) {
  switch (level) {
    case 1: return "\x1b[7m\x1b[31m";
    case 2: return "\x1b[1m\x1b[31m";
    case 3: return "\x1b[31m";
    case 4: return "\x1b[1m";
    default: return 0;
  }
}

#define RESET "\x1b[0m"

// writeDmesgLine for a parsed record; scratch holds the decoded text of a record that is not plain.
static u8 *put_record(u8 *out, const struct record *r, u8 *scratch) {
  const u8 *message = r->text, *to = r->text_end;
  if (to <= message) {
    *out++ = '\n';
    return out;
  }
  if (!r->plain) {
    u32 length = unescape(message, to, scratch);
    if (length == 0) {
      *out++ = '\n';
      return out;
    }
    message = scratch;
    to = scratch + length;
  }
  u32 indent;
  if (color) out = put(out, "\x1b[32m");
  out = put_timestamp(out, r->usec, &indent);
  if (color) out = put(out, RESET);
  const u8 *body = message;
  if (color) {
    const u8 *prefix_end = subsystem_end(message, to);
    if (prefix_end) {
      out = put(out, "\x1b[33m");
      out = put_part(out, message, prefix_end, to, indent, r->plain);
      out = put(out, RESET);
      body = prefix_end;
    }
  }
  const char *body_color = 0;
  if (color) {
    body_color = level_color(r->prio & 7);
    if (!body_color && contains_segfault(body, to)) body_color = "\x1b[2m\x1b[31m";
  }
  if (body_color) out = put(out, body_color);
  out = put_part(out, body, to, to, indent, r->plain);
  if (body_color) out = put(out, RESET);
  *out++ = '\n';
  return out;
}

// Room a line of `length` bytes may need: every byte as \xNN twice over (a 2-byte sequence printed as
// two escapes), or a decoded line break and its indent, plus timestamp and colours.
static u32 room_for(u32 length) {
  return length * 8 + 128;
}

// Formats the lines of input[0, length) into out (out_cap bytes), using scratch (length bytes) for
// decoded text. Lines end at '\n' or NUL; with `final`, an unterminated last line is formatted too.
// Continuation lines (leading blank) and empty lines print nothing, other garbage is counted in
// skipped_lines. Returns where it stopped (see stop_reason): with STOP_END, the start of the
// unfinished last line (length when none). out_used gets the bytes written.
u32 format(u8 *input, u32 length, u8 *out, u32 out_cap, u8 *scratch, int final) {
  const u8 *p = input, *end = input + length;
  u8 *o = out;
  stop_reason = STOP_END;
  while (p < end) {
    const u8 *line_end = find_line_end(p, end);
    if (line_end == end && !final) break;
    if (line_end > p && *p != ' ') {
      struct record r;
      if (!parse_record(p, line_end, &r)) {
        skipped_lines++;
      } else {
        if ((u32)(out + out_cap - o) < room_for((u32)(line_end - p))) {
          stop_reason = STOP_FULL;
          break;
        }
        double seq = (double)r.seq;
        if (track_sequence) {
          if (last_seq >= 0 && seq > last_seq + 1) {
            lost_records = seq - last_seq - 1;
            last_seq = seq;  // formatted when called again from this line
            stop_reason = STOP_GAP;
            break;
          }
          last_seq = seq;
        }
        o = put_record(o, &r, scratch);
      }
    }
    p = line_end < end ? line_end + 1 : end;
  }
  out_used = (u32)(o - out);
  return (u32)(p - input);
}

// Options of the next format() call (several formatters share this module).
void set_state(int use_color, int track, double seq) {
  color = use_color;
  track_sequence = track;
  last_seq = seq;
}

double get_last_seq(void) { return last_seq; }
double get_lost_records(void) { return lost_records; }
u32 take_skipped_lines(void) {
  u32 count = skipped_lines;
  skipped_lines = 0;
  return count;
}
u32 get_out_used(void) { return out_used; }
u32 get_stop_reason(void) { return stop_reason; }
