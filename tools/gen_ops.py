#!/usr/bin/env python3
"""Generate the operation table and the typed inputs and outputs from AWS's IAM and STS models.

Facts only (operation names, member names, types, constraints); run it again when the models
change:
    python3 tools/gen_ops.py ../shared/reference/aws-models ops > crates/proto/src/ops/generated.rs
    python3 tools/gen_ops.py ../shared/reference/aws-models inputs > crates/proto/src/input/generated.rs
    python3 tools/gen_ops.py ../shared/reference/aws-models outputs > crates/proto/src/output/generated.rs
    python3 tools/gen_ops.py ../shared/reference/aws-models errors > crates/core/src/error/generated.rs
The output is laid out one line per operation and per member, as committed (no rustfmt step),
so `.ci/drift` can compare a fresh run with the committed files byte for byte. Each file is a
child module of the hand-written module whose macros and types it uses (`ops.rs`, `input.rs`,
`output.rs`), so the pair is one module.
"""
import json
import re
import sys
import os

models = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/aws-models"
what = sys.argv[2] if len(sys.argv) > 2 else "ops"
iam = json.load(open(os.path.join(models, "iam-2010-05-08.service-2.json")))
sts = json.load(open(os.path.join(models, "sts-2011-06-15.service-2.json")))

def lower_first(s):
    return s[:1].lower() + s[1:]


def rs(s):
    return json.dumps(s)


rows = []
for service, model in (("Iam", iam), ("Sts", sts)):
    shapes = model["shapes"]
    for name in sorted(model["operations"]):
        op = model["operations"][name]
        members, required = {}, []
        if "input" in op:
            ishape = shapes[op["input"]["shape"]]
            members = ishape.get("members", {})
            required = ishape.get("required", [])
        if "output" not in op:
            output = "NoOutput"
        elif not shapes[op["output"]["shape"]].get("members"):
            output = "EmptyResult"
        else:
            output = "WithResult"
        signed = op.get("authtype") != "none"
        # An answer carrying a secret access key (STS credentials, CreateAccessKey's key).
        omembers = shapes[op["output"]["shape"]].get("members", {}) if "output" in op else {}
        issues_credentials = any(
            shapes[m["shape"]]["type"] == "structure"
            and "SecretAccessKey" in shapes[m["shape"]].get("members", {})
            for m in omembers.values()
        )
        params = []
        for mname, mref in members.items():
            s = shapes[mref["shape"]]
            t = s["type"]
            req = str(mname in required).lower()
            if t == "string":
                pat = s.get("pattern")
                kind = "Str {{ min: {}, max: {}, pattern: {}, enums: &[{}] }}".format(
                    s.get("min", 0),
                    s.get("max", 0),
                    "Some(" + rs(pat) + ")" if pat else "None",
                    ", ".join(rs(e) for e in s.get("enum", [])),
                )
            elif t in ("integer", "long"):
                kind = "Int {{ min: {}, max: {} }}".format(s.get("min", "i64::MIN"), s.get("max", "i64::MAX"))
            elif t == "boolean":
                kind = "Bool"
            elif t == "list":
                kind = "List {{ min: {}, max: {} }}".format(s.get("min", 0), s.get("max", 0))
            elif t == "timestamp":
                kind = "Timestamp"
            else:
                kind = "Nested"
            sensitive = str(bool(s.get("sensitive"))).lower()
            params.append(
                f"Param {{ name: {rs(mname)}, wire: {rs(lower_first(mname))}, required: {req}, sensitive: {sensitive}, kind: {kind} }}"
            )
        rows.append((service, name, output, signed, issues_credentials, params))


# Members that are secrets although the models do not mark them sensitive: one-time MFA codes.
SECRETS = {"TokenCode", "AuthenticationCode1", "AuthenticationCode2"}
# Shapes whose lists authorization reads by member name (`Input::tags`): `Shape as View`.
LIST_VIEWS = {"Tag": "Tags"}
KEYWORDS = {"type", "match", "ref", "self", "use", "mod", "fn", "move", "box", "in", "as", "loop"}


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()
    return s + "_" if s in KEYWORDS else s


# Output shapes whose strings IAM writes RFC 3986-encoded (policy documents).
DOCUMENT_SHAPES = {"policyDocumentType"}
# Members the models call required that AWS leaves out of some answers: GetUser for the root
# user answers UserId, Arn and CreateDate without Path or UserName; the root user's own access
# key (CreateAccessKey) and signing certificates (UploadSigningCertificate,
# ListSigningCertificates) come without UserName, since root has no user name.
OMITTED_BY_AWS = {
    ("User", "Path"),
    ("User", "UserName"),
    ("AccessKey", "UserName"),
    ("SigningCertificate", "UserName"),
}


def type_name(shape):
    return shape[:1].upper() + shape[1:]


def header(what, target, note, uses):
    """The lines every generated file starts with."""
    return [
        "// @generated by tools/gen_ops.py from AWS's IAM and STS service models. Do not edit by hand:",
        f"// run `python3 tools/gen_ops.py ../shared/reference/aws-models {what} > {target}`.",
        "// One line per member; CI (.ci/drift) fails when this file and the models disagree. The macros",
        f"// ({note}) make each line a typed field {'decoded from the request' + chr(39) + 's parameters' if what == 'inputs' else 'written into the response' + chr(39) + 's XML'}.",
    ] + uses + [""]


def members_block(macro, items):
    """`macro! { Head { field: Type = "Wire", ... } ... }`, one line per member."""
    out = [f"crate::{macro}! {{"]
    for head, fields in items:
        out.append(f"    {head} {{")
        out += [f"        {f}: {t} = {rs(wire)}," for f, wire, t in fields]
        out.append("    }")
    out.append("}")
    return out


class Types:
    """Rust types of the members an operation's input (`inputs`) or output (`outputs`) reaches,
    collecting every structure on the way; the two sides differ only in leaf types and in which
    structure members are required."""

    def __init__(self, side):
        self.side = side
        self.structs = {}  # shape name -> [(field, wire, type)]

    def of(self, shapes, ref, member=None):
        s = shapes[ref]
        t = s["type"]
        inputs = self.side == "inputs"
        if t == "string":
            if not inputs and ref in DOCUMENT_SHAPES:
                return "PolicyDocument"
            return "Secret" if s.get("sensitive") or (inputs and member in SECRETS) else "String"
        if t in ("integer", "long"):
            return "i64"
        if t == "boolean":
            return "bool"
        if t == "timestamp":
            return "String" if inputs else "Timestamp"
        if t == "blob" and not inputs:
            return "Blob"
        if t == "list":
            return "Vec<" + self.of(shapes, s["member"]["shape"]) + ">"
        if t == "map":
            value = s["value"]["shape"]
            if inputs:
                return "Map" if shapes[value]["type"] == "string" else "Unread"
            return "Entries<" + self.of(shapes, value) + ">"
        if t == "structure":
            if ref not in self.structs:
                self.structs[ref] = None
                self.structs[ref] = self.fields(shapes, s, ref)
            return ref if inputs else type_name(ref)
        raise ValueError(t)

    def fields(self, shapes, shape, ref=None):
        """A structure's members; in inputs only an operation's own shape has required ones."""
        if self.side == "inputs":
            required = shape.get("required", []) if ref is None else []
        else:
            required = [m for m in shape.get("required", []) if (ref, m) not in OMITTED_BY_AWS]
        out = []
        for m, mr in shape.get("members", {}).items():
            t = self.of(shapes, mr["shape"], m)
            out.append((snake(m), m, t if m in required else f"Option<{t}>"))
        return out


def inputs():
    types, ops = Types("inputs"), []
    for model in (iam, sts):
        shapes = model["shapes"]
        for name in sorted(model["operations"]):
            op = model["operations"][name]
            fields = types.fields(shapes, shapes[op["input"]["shape"]]) if "input" in op else []
            ops.append((f"{name} => {name}Input", fields))
    structs = [
        (shape + (f" as {LIST_VIEWS[shape]}" if shape in LIST_VIEWS else ""), types.structs[shape])
        for shape in sorted(types.structs)
    ]
    uses = ["use crate::input::{Map, Unread};", "use portcullis_core::Secret;"]
    return (
        header("inputs", "crates/proto/src/input/generated.rs", "input.rs", uses)
        + members_block("input::shapes", structs)
        + [""]
        + members_block("input::inputs", ops)
    )


def outputs():
    types, ops, empty = Types("outputs"), [], []
    for model in (iam, sts):
        shapes = model["shapes"]
        for name in sorted(model["operations"]):
            op = model["operations"][name]
            oshape = shapes[op["output"]["shape"]] if "output" in op else {}
            if not oshape.get("members"):
                empty.append(name)
                continue
            ops.append((f"{name} => {name}Output", types.fields(shapes, oshape)))
    structs = [(type_name(s), types.structs[s]) for s in sorted(types.structs, key=type_name)]
    uses = [
        "use crate::output::{Blob, Entries, PolicyDocument, Timestamp};",
        "use portcullis_core::Secret;",
    ]
    return (
        header("outputs", "crates/proto/src/output/generated.rs", "output.rs", uses)
        + members_block("output::shapes", structs)
        + [""]
        + members_block("output::outputs", ops)
        + ["", "crate::output::empty_outputs! {"]
        + [f"    {name}," for name in empty]
        + ["}"]
    )

# Errors every Query API action may answer that the models do not list per operation (AWS's
# "common errors"), with the HTTP status AWS answers them with.
COMMON_ERRORS = [
    ("AccessDenied", 403),
    ("ExpiredToken", 403),
    ("IncompleteSignature", 400),
    ("InvalidAction", 400),
    ("InvalidClientTokenId", 403),
    ("InvalidParameterValue", 400),
    ("MalformedQueryString", 404),
    ("MissingAction", 400),
    ("MissingAuthenticationToken", 403),
    ("NotImplemented", 501),
    ("RequestEntityTooLarge", 413),
    ("RequestExpired", 400),
    ("SignatureDoesNotMatch", 403),
    ("Throttling", 400),
    ("ValidationError", 400),
]


def errors():
    """Every error code: the models' exception shapes (code and status from their `error` trait;
    a shape without one answers its own name with 400) and the common errors above."""
    codes = {}
    for model in (iam, sts):
        for name, shape in model["shapes"].items():
            if shape.get("exception"):
                trait = shape.get("error", {})
                codes[trait.get("code", name)] = trait.get("httpStatusCode", 400)
    for code, status in COMMON_ERRORS:
        assert code not in codes, code
        codes[code] = status
    out = []
    emit = out.append
    emit("// @generated by tools/gen_ops.py from AWS's IAM and STS service models. Do not edit by hand:")
    emit("// run `python3 tools/gen_ops.py ../shared/reference/aws-models errors > crates/core/src/error/generated.rs`.")
    emit("// CI (.ci/drift) fails when this file and the models disagree.")
    emit("")
    emit("/// Every error code IAM and STS answer, named as on the wire.")
    emit("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]")
    emit("pub enum ErrorCode {")
    for code in sorted(codes):
        emit(f"    {code},")
    emit("}")
    emit("")
    emit("#[rustfmt::skip]")
    emit("impl ErrorCode {")
    emit("    /// The code as AWS writes it in `<Code>`.")
    emit("    pub fn as_str(self) -> &'static str {")
    emit("        match self {")
    for code in sorted(codes):
        emit(f"            ErrorCode::{code} => {rs(code)},")
    emit("        }")
    emit("    }")
    emit("")
    emit("    /// The HTTP status AWS answers the code with.")
    emit("    pub fn status(self) -> u16 {")
    emit("        match self {")
    for code in sorted(codes):
        emit(f"            ErrorCode::{code} => {codes[code]},")
    emit("        }")
    emit("    }")
    emit("}")
    return out


if what == "errors":
    print("\n".join(errors()))
    sys.exit(0)
if what == "outputs":
    print("\n".join(outputs()))
    sys.exit(0)
if what == "inputs":
    print("\n".join(inputs()))
    sys.exit(0)
out = []
emit = out.append
emit("// @generated by tools/gen_ops.py from AWS's IAM and STS service models. Do not edit by hand:")
emit("// run `python3 tools/gen_ops.py ../shared/reference/aws-models > crates/proto/src/ops/generated.rs`.")
emit("// One line per operation and per parameter; CI (.ci/drift) fails when this file and the models")
emit("// disagree.")
emit("use crate::ops::{OpInfo, Output::*, Param, ParamKind::*, Service::*};")
emit("")
emit("/// Every IAM and STS operation in AWS's models, by wire name.")
emit("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]")
emit("pub enum Operation {")
for r in rows:
    emit(f"    {r[1]},")
emit("}")
emit("")
emit("#[rustfmt::skip]")
emit(f"pub(crate) static OPS: [OpInfo; {len(rows)}] = [")
for service, name, output, signed, issues_credentials, params in rows:
    head = (f"    OpInfo {{ op: Operation::{name}, name: {rs(name)}, service: {service}, output: {output}, "
            f"signed: {str(signed).lower()}, issues_credentials: {str(issues_credentials).lower()}, params: &[")
    if params:
        emit(head)
        for p in params:
            emit(f"        {p},")
        emit("    ] },")
    else:
        emit(head + "] },")
emit("];")
emit("")
emit("#[rustfmt::skip]")
emit("pub(crate) fn lookup(service: crate::ops::Service, name: &str) -> Option<Operation> {")
emit("    match (service, name) {")
for r in rows:
    emit(f"        ({r[0]}, {rs(r[1])}) => Some(Operation::{r[1]}),")
emit("        _ => None,")
emit("    }")
emit("}")
print("\n".join(out))
