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


def inputs():
    structs = {}  # shape name -> [(field, wire, type)], every structure an input reaches

    def rust_type(shapes, ref, sensitive_extra=False):
        s = shapes[ref]
        t = s["type"]
        if t == "string":
            return "Secret" if s.get("sensitive") or sensitive_extra else "String"
        if t in ("integer", "long"):
            return "i64"
        if t == "boolean":
            return "bool"
        if t == "timestamp":
            return "String"
        if t == "list":
            return "Vec<" + rust_type(shapes, s["member"]["shape"]) + ">"
        if t == "map":
            value = shapes[s["value"]["shape"]]
            return "Map" if value["type"] == "string" else "Unread"
        if t == "structure":
            if ref not in structs:
                structs[ref] = None
                structs[ref] = [
                    (snake(m), m, "Option<" + rust_type(shapes, mr["shape"], m in SECRETS) + ">")
                    for m, mr in s.get("members", {}).items()
                ]
            return ref
        raise ValueError(t)

    ops = []
    for service, model in (("Iam", iam), ("Sts", sts)):
        shapes = model["shapes"]
        for name in sorted(model["operations"]):
            op = model["operations"][name]
            fields = []
            if "input" in op:
                ishape = shapes[op["input"]["shape"]]
                required = ishape.get("required", [])
                for m, mr in ishape.get("members", {}).items():
                    t = rust_type(shapes, mr["shape"], m in SECRETS)
                    fields.append((snake(m), m, t if m in required else f"Option<{t}>"))
            ops.append((name, fields))
    out = []
    emit = out.append
    emit("// @generated by tools/gen_ops.py from AWS's IAM and STS service models. Do not edit by hand:")
    emit("// run `python3 tools/gen_ops.py ../shared/reference/aws-models inputs > crates/proto/src/input/generated.rs`.")
    emit("// One line per member; CI (.ci/drift) fails when this file and the models disagree. The macros")
    emit("// (input.rs) make each line a typed field decoded from the request's parameters.")
    emit("use crate::input::{Map, Unread};")
    emit("use portcullis_core::Secret;")
    emit("")
    emit("crate::input::shapes! {")
    for shape in sorted(structs):
        view = f" as {LIST_VIEWS[shape]}" if shape in LIST_VIEWS else ""
        emit(f"    {shape}{view} {{")
        for f, wire, t in structs[shape]:
            emit(f"        {f}: {t} = {rs(wire)},")
        emit("    }")
    emit("}")
    emit("")
    emit("crate::input::inputs! {")
    for name, fields in ops:
        emit(f"    {name} => {name}Input {{")
        for f, wire, t in fields:
            emit(f"        {f}: {t} = {rs(wire)},")
        emit("    }")
    emit("}")
    return out


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


def outputs():
    structs = {}  # shape name -> [(field, wire, type)], every structure an output reaches

    def rust_type(shapes, ref):
        s = shapes[ref]
        t = s["type"]
        if t == "string":
            if ref in DOCUMENT_SHAPES:
                return "PolicyDocument"
            return "Secret" if s.get("sensitive") else "String"
        if t in ("integer", "long"):
            return "i64"
        if t == "boolean":
            return "bool"
        if t == "timestamp":
            return "Timestamp"
        if t == "blob":
            return "Blob"
        if t == "list":
            return "Vec<" + rust_type(shapes, s["member"]["shape"]) + ">"
        if t == "map":
            return "Entries<" + rust_type(shapes, s["value"]["shape"]) + ">"
        if t == "structure":
            if ref not in structs:
                structs[ref] = None
                required = [m for m in s.get("required", []) if (ref, m) not in OMITTED_BY_AWS]
                fields = []
                for m, mr in s.get("members", {}).items():
                    ty = rust_type(shapes, mr["shape"])
                    fields.append((snake(m), m, ty if m in required else f"Option<{ty}>"))
                structs[ref] = fields
            return type_name(ref)
        raise ValueError(t)

    ops, empty = [], []
    for service, model in (("Iam", iam), ("Sts", sts)):
        shapes = model["shapes"]
        for name in sorted(model["operations"]):
            op = model["operations"][name]
            oshape = shapes[op["output"]["shape"]] if "output" in op else {}
            if not oshape.get("members"):
                empty.append(name)
                continue
            required = oshape.get("required", [])
            fields = []
            for m, mr in oshape["members"].items():
                t = rust_type(shapes, mr["shape"])
                fields.append((snake(m), m, t if m in required else f"Option<{t}>"))
            ops.append((name, fields))
    out = []
    emit = out.append
    emit("// @generated by tools/gen_ops.py from AWS's IAM and STS service models. Do not edit by hand:")
    emit("// run `python3 tools/gen_ops.py ../shared/reference/aws-models outputs > crates/proto/src/output/generated.rs`.")
    emit("// One line per member; CI (.ci/drift) fails when this file and the models disagree. The macros")
    emit("// (output.rs) make each line a typed field written into the response's XML.")
    emit("use crate::output::{Blob, Entries, PolicyDocument, Timestamp};")
    emit("use portcullis_core::Secret;")
    emit("")
    emit("crate::output::shapes! {")
    for shape in sorted(structs, key=type_name):
        emit(f"    {type_name(shape)} {{")
        for f, wire, t in structs[shape]:
            emit(f"        {f}: {t} = {rs(wire)},")
        emit("    }")
    emit("}")
    emit("")
    emit("crate::output::outputs! {")
    for name, fields in ops:
        emit(f"    {name} => {name}Output {{")
        for f, wire, t in fields:
            emit(f"        {f}: {t} = {rs(wire)},")
        emit("    }")
    emit("}")
    emit("")
    emit("crate::output::empty_outputs! {")
    for name in empty:
        emit(f"    {name},")
    emit("}")
    return out

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
