#!/usr/bin/env bash
# prowler.sh — runs Prowler's IAM checks against a `portcullis dev` server as a non-root auditor.
#
# Builds nothing. Starts ${PORTCULLIS_BIN:-target/debug/portcullis} dev on a free loopback port,
# builds an account holding AdministratorAccess, SecurityAudit, ReadOnlyAccess and
# AWSSupportAccess attachments, a wide customer policy, inline policies, a cross-account role and
# a console user, then runs `prowler aws --service iam` (PyPI `prowler`, installed into
# ${PROWLER_VENV:-~/.cache/prowler-venv} when missing) as a user holding SecurityAudit and
# ViewOnlyAccess, all traffic to 127.0.0.1 through AWS_ENDPOINT_URL. It prints the findings per
# check and every error Prowler logged, then `portcullis audit` of the same account as the same
# auditor, to compare the two. Errors about other services (ec2 DescribeRegions,
# organizations DescribeOrganization) are expected: Portcullis serves IAM and STS only. So is
# "Invalid action pattern 'codestar:CreateProject'": Prowler's own action catalogue
# (py_iam_expand) lacks the retired CodeStar service; no request is involved.
# Only the process this script starts is stopped, by PID.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/debug/portcullis}
CLI_VENV=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}
PROWLER_VENV=${PROWLER_VENV:-$HOME/.cache/prowler-venv}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-prowler.XXXXXX")

if [ ! -x "$PROWLER_VENV/bin/prowler" ]; then
    python3 -m venv "$PROWLER_VENV"
    "$PROWLER_VENV/bin/pip" install -q prowler
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" dev --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
    sleep 0.1
done

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$PORT
aws() { "$CLI_VENV/bin/aws" "$@" >/dev/null; }
TRUST_ACCOUNT='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
TRUST_ANY='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'
AWSP=arn:aws:iam::aws:policy

aws iam create-user --user-name auditor
aws iam attach-user-policy --user-name auditor --policy-arn $AWSP/SecurityAudit
aws iam attach-user-policy --user-name auditor --policy-arn $AWSP/job-function/ViewOnlyAccess
aws iam create-user --user-name admin
aws iam attach-user-policy --user-name admin --policy-arn $AWSP/AdministratorAccess
aws iam create-login-profile --user-name admin --password 'Xy7!long-enough-pass'
aws iam put-user-policy --user-name admin --policy-name inline --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances","kms:Decrypt","cloudtrail:*"],"Resource":"*"}]}'
aws iam create-role --role-name ops --assume-role-policy-document "$TRUST_ACCOUNT"
aws iam attach-role-policy --role-name ops --policy-arn $AWSP/AdministratorAccess
aws iam create-role --role-name support --assume-role-policy-document "$TRUST_ACCOUNT"
aws iam attach-role-policy --role-name support --policy-arn $AWSP/AWSSupportAccess
aws iam create-role --role-name cross-account --assume-role-policy-document "$TRUST_ANY"
aws iam attach-role-policy --role-name cross-account --policy-arn $AWSP/ReadOnlyAccess
aws iam create-group --group-name secops
aws iam attach-group-policy --group-name secops --policy-arn $AWSP/SecurityAudit
aws iam create-policy --policy-name wide --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
aws iam attach-group-policy --group-name secops --policy-arn arn:aws:iam::123456789012:policy/wide
aws iam create-policy --policy-name escalate --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:PutUserPolicy"],"Resource":"*"}]}'
aws iam attach-role-policy --role-name support --policy-arn arn:aws:iam::123456789012:policy/escalate
read -r KEY SECRET < <("$CLI_VENV/bin/aws" iam create-access-key --user-name auditor \
    --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)

AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET "$PROWLER_VENV/bin/prowler" aws \
    --service iam --region us-east-1 -o "$WORK" --output-formats csv \
    --log-level ERROR --log-file "$WORK/prowler.log" >"$WORK/prowler.out" 2>&1 || true

python3 - "$WORK" <<'EOF'
import collections, csv, glob, sys
work = sys.argv[1]
rows = list(csv.DictReader(open(glob.glob(f"{work}/*.csv")[0]), delimiter=";"))
by_check = collections.defaultdict(collections.Counter)
for r in rows:
    by_check[r["CHECK_ID"]][r["STATUS"]] += 1
for check in sorted(by_check):
    print(f"{check:70} " + " ".join(f"{s}={n}" for s, n in sorted(by_check[check].items())))
status = collections.Counter(r["STATUS"] for r in rows)
print(f"\n{len(rows)} findings from {len(by_check)} checks: {dict(status)}")
errors = [l.split('"message": "', 1)[-1][:160] for l in open(f"{work}/prowler.log") if '"ERROR"' in l]
print(f"{len(errors)} errors logged by Prowler:")
for e in errors:
    print("  " + e)
EOF
# The same account through `portcullis audit` (the CIS IAM checks), as the same auditor, to set
# beside Prowler's verdicts.
echo
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET "$BIN" audit \
    --endpoint-url "http://127.0.0.1:$PORT" || true
echo "work directory: $WORK"
