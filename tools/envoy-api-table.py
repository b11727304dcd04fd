#!/usr/bin/env python3
"""Writes src/validate/rules/envoy_filter/envoy_api.table: the names, numbers
and types of Envoy's v3 API as istiod registers them, for meshctl's check of
EnvoyFilter patch values (envoy_filter/proto_walk.rs reads it).

Source: the serialized file descriptors that protoc-gen-go embeds in the
generated Go code (`*.pb.go`), which is exactly what istiod links and
registers. The table follows the go-control-plane commit Istio pins
(`github.com/envoyproxy/go-control-plane/envoy` in istio/istio's go.mod), not
Envoy's main branch: data-plane-api's .proto files lag or lead that commit,
and a type the table lacks is reported as unknown.

Table as committed (see its header):
  go-control-plane a2d8c7492908320a3d6ae6dcb34dc76d535252bf
  (mirrored from Envoy 3bd01c3ed020bfd25534a931f39abe305e6566e6),
  the commit before 6c0b035a1609 that istio/istio pins, with its contrib/;
  cncf/xds 5cf4b19495289a9e992ce5e2c3ffb08f2cf387be (go/);
  istio/api b8f8791d9653b2edc77a071d48887e582cfe84bf (envoy/).

Usage (Python 3, no dependencies):
  git -C GCP archive COMMIT envoy contrib | tar -x -C /tmp/gcp
  git -C XDS archive COMMIT go | tar -x -C /tmp/xds
  git -C ISTIO_API archive COMMIT envoy | tar -x -C /tmp/istioapi
  tools/envoy-api-table.py --gcp /tmp/gcp --xds /tmp/xds --istio-api /tmp/istioapi \\
      --note "go-control-plane ... (Envoy ...)" --note "cncf/xds ..." --note "istio/api ..." \\
      > src/validate/rules/envoy_filter/envoy_api.table

Which types: every file of a Go package istiod imports for its EnvoyFilter
types (istio/istio pkg/config/xds/filter_types.go: go-control-plane's
packages whose path has `v3`, but `/pkg/`; contrib's the same, but alpn,
istio_stats and workload_discovery; istio/api's filters), every package
those files import, all of cncf/xds, and google.protobuf's Empty and
FieldMask (which the JSON reader treats as plain messages). Envoy's removed
v2 packages are left out, as istiod leaves them out. Types of other projects
that Envoy's types use (CEL expressions, OpenTelemetry, Prometheus) are
written `?`: taken as they come, unchecked.

Format (one line each; `#` lines are the header):
  M<full name>[ F]      a message; F: its file's package is FROZEN
                        (udpa.annotations.file_status)
   <name>[=<json>] <type>[ |<oneof>]
                        a field of the message above: its proto name, its
                        JSON name when not protoc's default lowerCamel form,
                        and the index of its oneof group (real oneofs only)
  E<full name> <NAME>=<number> ...
                        an enum and its values
Types: b bool, i int32/sint32/sfixed32, I int64/sint64/sfixed64,
u uint32/fixed32, U uint64/fixed64, f float, d double, s string, y bytes,
@<n> the n-th M or E line (from 0), A Any, D Duration, T Timestamp,
S Struct, V Value, L ListValue, N NullValue, w<scalar> a wrapper
(wu: UInt32Value), ? another project's type; *<type> repeated,
{<key>,<value>} a map.

Only names, numbers and types are written: no comments or other text of
the protos.
"""

import argparse
import os
import re
import sys

# --- Go string literals ---------------------------------------------------

_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11,
                   "\\": 92, "'": 39, '"': 34}


def go_string_bytes(literal):
    """The bytes of one interpreted Go string literal, quotes excluded."""
    out = bytearray()
    raw = literal.encode("utf-8")
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        kind = chr(raw[i + 1])
        if kind in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[kind])
            i += 2
        elif kind == "x":
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        elif kind in "01234567":
            out.append(int(raw[i + 1:i + 4], 8))
            i += 4
        elif kind in "uU":
            width = 4 if kind == "u" else 8
            out += chr(int(raw[i + 2:i + 2 + width], 16)).encode("utf-8")
            i += 2 + width
        else:
            raise ValueError("unknown escape \\" + kind)
    return bytes(out)


_RAW_DESC = re.compile(r'const file_\w+_rawDesc = ""((?:\s*\+\s*"(?:[^"\\]|\\.)*")+)')
_PIECE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def raw_descriptors(go_source):
    for found in _RAW_DESC.finditer(go_source):
        yield b"".join(go_string_bytes(p) for p in _PIECE.findall(found.group(1)))


# --- protobuf wire format -------------------------------------------------

def fields_of(data):
    """(number, wire type, value) of each field of a serialized message."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 2:
            size, i = varint(data, i)
            value, i = data[i:i + size], i + size
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield number, wire, value


def varint(data, i):
    value = shift = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def grouped(data):
    out = {}
    for number, _, value in fields_of(data):
        out.setdefault(number, []).append(value)
    return out


def text(values, default=""):
    return values[-1].decode("utf-8") if values else default


# FileDescriptorProto and friends: descriptor.proto's field numbers.
FILE_NAME, FILE_PACKAGE, FILE_DEPENDENCY, FILE_MESSAGE, FILE_ENUM, FILE_OPTIONS = 1, 2, 3, 4, 5, 8
MSG_NAME, MSG_FIELD, MSG_NESTED, MSG_ENUM, MSG_OPTIONS, MSG_ONEOF = 1, 2, 3, 4, 7, 8
MAP_ENTRY_OPTION = 7
FIELD_NAME, FIELD_LABEL, FIELD_TYPE, FIELD_TYPE_NAME, FIELD_ONEOF, FIELD_JSON, FIELD_PROTO3_OPTIONAL = 1, 4, 5, 6, 9, 10, 17
ENUM_NAME, ENUM_VALUE = 1, 2
VALUE_NAME, VALUE_NUMBER = 1, 2
LABEL_REPEATED = 3
# udpa.annotations.file_status (udpa/annotations/status.proto) and its
# package_version_status field; FROZEN is 1.
FILE_STATUS_EXTENSION, PACKAGE_VERSION_STATUS, FROZEN = 222707719, 2, 1

SCALARS = {1: "d", 2: "f", 3: "I", 4: "U", 5: "i", 6: "U", 7: "u", 8: "b",
           9: "s", 12: "y", 13: "u", 15: "i", 16: "I", 17: "i", 18: "I"}
TYPE_MESSAGE, TYPE_ENUM, TYPE_GROUP = 11, 14, 10

WELL_KNOWN = {
    "google.protobuf.Any": "A", "google.protobuf.Duration": "D",
    "google.protobuf.Timestamp": "T", "google.protobuf.Struct": "S",
    "google.protobuf.Value": "V", "google.protobuf.ListValue": "L",
    "google.protobuf.NullValue": "N",
    "google.protobuf.BoolValue": "wb", "google.protobuf.StringValue": "ws",
    "google.protobuf.BytesValue": "wy", "google.protobuf.Int32Value": "wi",
    "google.protobuf.UInt32Value": "wu", "google.protobuf.Int64Value": "wI",
    "google.protobuf.UInt64Value": "wU", "google.protobuf.FloatValue": "wf",
    "google.protobuf.DoubleValue": "wd",
}


class Field:
    def __init__(self, raw):
        f = grouped(raw)
        self.name = text(f.get(FIELD_NAME))
        self.json = text(f.get(FIELD_JSON)) or default_json_name(self.name)
        self.repeated = f.get(FIELD_LABEL, [0])[-1] == LABEL_REPEATED
        self.type = f.get(FIELD_TYPE, [0])[-1]
        self.type_name = text(f.get(FIELD_TYPE_NAME)).lstrip(".")
        synthetic = f.get(FIELD_PROTO3_OPTIONAL, [0])[-1] == 1
        self.oneof = None if synthetic else f.get(FIELD_ONEOF, [None])[-1]


class Message:
    def __init__(self, full_name, frozen, raw):
        m = grouped(raw)
        self.name = full_name
        self.frozen = frozen
        self.fields = [Field(f) for f in m.get(MSG_FIELD, [])]
        options = grouped(m[MSG_OPTIONS][-1]) if MSG_OPTIONS in m else {}
        self.map_entry = options.get(MAP_ENTRY_OPTION, [0])[-1] == 1
        # Real oneofs get their own group number, in declaration order.
        real = sorted({f.oneof for f in self.fields if f.oneof is not None})
        for f in self.fields:
            if f.oneof is not None:
                f.oneof = real.index(f.oneof)


class Enum:
    def __init__(self, full_name, raw):
        e = grouped(raw)
        self.name = full_name
        self.values = []
        for v in e.get(ENUM_VALUE, []):
            value = grouped(v)
            number = value.get(VALUE_NUMBER, [0])[-1]
            if number >= 1 << 31:
                number -= 1 << 32
            self.values.append((text(value.get(VALUE_NAME)), number))


def default_json_name(name):
    """protoc's lowerCamel JSON name: each `_` dropped, the next letter raised."""
    out, upper = [], False
    for c in name:
        if c == "_":
            upper = True
        else:
            out.append(c.upper() if upper else c)
            upper = False
    return "".join(out)


class ProtoFile:
    def __init__(self, raw, go_dir):
        f = grouped(raw)
        self.name = text(f.get(FILE_NAME))
        self.package = text(f.get(FILE_PACKAGE))
        self.deps = [d.decode("utf-8") for d in f.get(FILE_DEPENDENCY, [])]
        self.go_dir = go_dir
        self.frozen = False
        if FILE_OPTIONS in f:
            status = grouped(f[FILE_OPTIONS][-1]).get(FILE_STATUS_EXTENSION)
            if status:
                self.frozen = grouped(status[-1]).get(PACKAGE_VERSION_STATUS, [0])[-1] == FROZEN
        self.messages, self.enums = [], []
        scope = self.package + "." if self.package else ""
        for m in f.get(FILE_MESSAGE, []):
            self._message(scope, m)
        for e in f.get(FILE_ENUM, []):
            self.enums.append(Enum(scope + text(grouped(e).get(ENUM_NAME)), e))

    def _message(self, scope, raw):
        m = grouped(raw)
        full = scope + text(m.get(MSG_NAME))
        self.messages.append(Message(full, self.frozen, raw))
        for nested in m.get(MSG_NESTED, []):
            self._message(full + ".", nested)
        for e in m.get(MSG_ENUM, []):
            self.enums.append(Enum(full + "." + text(grouped(e).get(ENUM_NAME)), e))


def read_tree(root, label):
    """Every proto file whose descriptor a .pb.go under `root` embeds."""
    files = []
    for dirpath, _, names in os.walk(root):
        for name in sorted(names):
            if not name.endswith(".pb.go"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as source:
                go = source.read()
            rel = os.path.relpath(dirpath, root)
            for raw in raw_descriptors(go):
                files.append(ProtoFile(raw, label + "/" + rel))
    return files


def imported_by_istiod(go_dir):
    """pkg/config/xds/filter_types.go's selection of packages."""
    source, _, path = go_dir.partition("/")
    if source == "gcp":
        if "v3" not in path or "/pkg/" in "/" + path + "/":
            return False
        if path.startswith("contrib/"):
            return not re.search(r"alpn|istio_stats|workload_discovery", path)
        return path.startswith("envoy/")
    if source == "istio-api":
        return path.startswith("envoy/config/filter/")
    return source == "xds"


def registered(files):
    """The files of every package istiod imports, and of the packages those
    import (Go registers a package's files together)."""
    by_name = {f.name: f for f in files}
    dirs = {f.go_dir for f in files if imported_by_istiod(f.go_dir)}
    by_dir = {}
    for f in files:
        by_dir.setdefault(f.go_dir, []).append(f)
    pending = list(dirs)
    while pending:
        for f in by_dir[pending.pop()]:
            for dep in f.deps:
                target = by_name.get(dep)
                if target and target.go_dir not in dirs:
                    dirs.add(target.go_dir)
                    pending.append(target.go_dir)
    return [f for f in files if f.go_dir in dirs]


PLAIN_WELL_KNOWN = [
    ("google.protobuf.Empty", []),
    ("google.protobuf.FieldMask", [("paths", "*s")]),
]


def unique(types):
    """Sorted by name, each name once: istio/api and go-control-plane's
    contrib both carry Istio's metadata exchange filter."""
    by_name = {}
    for t in types:
        by_name.setdefault(t.name, t)
    return [by_name[name] for name in sorted(by_name)]


def write_table(files, notes, out):
    messages = unique(m for f in files for m in f.messages)
    enums = unique(e for f in files for e in f.enums)
    maps = {m.name: m for m in messages if m.map_entry}
    types = [m for m in messages if not m.map_entry]
    index = {}
    for name, _ in PLAIN_WELL_KNOWN:
        index[name] = len(index)
    for t in types + enums:
        index[t.name] = len(index)
    external = set()

    def type_code(field):
        if field.type in SCALARS:
            return SCALARS[field.type]
        name = field.type_name
        if name in WELL_KNOWN:
            return WELL_KNOWN[name]
        if name in index:
            return "@%d" % index[name]
        external.add(name)
        return "?"

    def field_code(field):
        entry = maps.get(field.type_name) if field.type == TYPE_MESSAGE else None
        if entry is not None:
            key, value = entry.fields[0], entry.fields[1]
            return "{%s,%s}" % (type_code(key), type_code(value))
        return ("*" if field.repeated else "") + type_code(field)

    lines = []
    for name, fields in PLAIN_WELL_KNOWN:
        lines.append("M" + name)
        lines += [" %s %s" % f for f in fields]
    for m in types:
        lines.append("M" + m.name + (" F" if m.frozen else ""))
        for f in m.fields:
            if f.type == TYPE_GROUP:
                raise ValueError("group field in " + m.name)
            name = f.name if f.json == default_json_name(f.name) else f.name + "=" + f.json
            oneof = "" if f.oneof is None else " |%d" % f.oneof
            lines.append(" %s %s%s" % (name, field_code(f), oneof))
    for e in enums:
        lines.append("E" + e.name + "".join(" %s=%d" % v for v in e.values))

    out.write("# meshctl envoy API table v1: names, numbers and types only.\n")
    out.write("# Written by tools/envoy-api-table.py from the descriptors of:\n")
    for note in notes:
        out.write("#   %s\n" % note)
    out.write("# Other projects' types, unchecked (?): %s\n" % " ".join(sorted(external)))
    out.write("# %d messages, %d enums\n" % (len(types) + len(PLAIN_WELL_KNOWN), len(enums)))
    out.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gcp", required=True, help="go-control-plane tree (envoy/, contrib/)")
    parser.add_argument("--xds", required=True, help="cncf/xds tree (go/)")
    parser.add_argument("--istio-api", required=True, help="istio/api tree (envoy/)")
    parser.add_argument("--note", action="append", default=[], help="a source and its commit, for the header")
    args = parser.parse_args()
    files = (read_tree(args.gcp, "gcp") + read_tree(args.xds, "xds")
             + read_tree(args.istio_api, "istio-api"))
    write_table(registered(files), args.note, sys.stdout)


if __name__ == "__main__":
    main()
