#!/usr/bin/env bash
# awscli-smoke.sh — drive a real `portcullis dev` with the real AWS CLI (v1).
#
# Creates (or reuses) a virtualenv holding PyPI `awscli`, starts
#   ${PORTCULLIS_BIN:-target/debug/portcullis} dev --listen 127.0.0.1:<free port>
# and runs IAM/STS commands against it with the well-known root key: users,
# access keys, GetCallerIdentity for a user and for root, Marker paging, a
# denied call, AssumeRole and the role's temporary credentials, cleanup, then
# instance profiles and identity providers, CloudTrail LookupEvents on a `serve`
# audit trail, `portcullis cleanup plan` and `portcullis audit` over TLS. Each check prints PASS/FAIL; the
# last line is
#   awscli-smoke: N passed, M failed
# and the exit status is non-zero when any check failed.
#
# Environment:
#   PORTCULLIS_BIN   server binary            (default target/debug/portcullis)
#   PORTCULLIS_VENV  virtualenv for awscli    (default ~/.cache/portcullis/venv)
#   SMOKE_READY_TIMEOUT  seconds to wait for the server to listen (default 30)
#
# The user's AWS config is never read or written: credentials come from the
# environment and AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE point to a temp dir.
# The server is stopped by its PID on exit. Only 127.0.0.1 is contacted.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/debug/portcullis}
VENV=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}
READY_TIMEOUT=${SMOKE_READY_TIMEOUT:-30}

ACCOUNT=123456789012
ROOT_KEY=AKIAIOSFODNN7EXAMPLE
ROOT_SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
ALICE=smoke-alice
OTHERS=(smoke-bob smoke-carol smoke-dave smoke-erin smoke-frank)

PASSED=0
FAILED=0
SERVER_PID=
WORK=$(mktemp -d "${TMPDIR:-/tmp}/awscli-smoke.XXXXXX")

cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '==> %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf '  PASS  %s\n' "$1"; }
fail() {
    FAILED=$((FAILED + 1))
    printf '  FAIL  %s\n' "$1"
    [[ $# -ge 2 ]] && printf '        %s\n' "${@:2}"
    return 0
}
# expect_eq DESC ACTUAL EXPECTED
expect_eq() {
    if [[ $2 == "$3" ]]; then pass "$1 = $3"; else fail "$1" "expected: $3" "got:      $2"; fi
}
# expect_re DESC ACTUAL EXTENDED-REGEX
expect_re() {
    if [[ $2 =~ $3 ]]; then pass "$1 ($2)"; else fail "$1" "expected to match: $3" "got: $2"; fi
}

# jget FILE PYTHON-EXPR — evaluate EXPR with `d` bound to the parsed JSON in
# FILE; prints the result (lists/dicts as JSON), or nothing if it fails.
jget() {
    python3 - "$1" "$2" <<'EOF' 2>/dev/null || true
import json, sys
try:
    with open(sys.argv[1]) as f:
        d = json.load(f)
    v = eval(sys.argv[2], {"d": d})
except Exception:
    sys.exit(0)
print(json.dumps(v) if isinstance(v, (list, dict, bool)) or v is None else v)
EOF
}

# ---------------------------------------------------------------- awscli venv
if [[ ! -x $VENV/bin/aws ]]; then
    say "installing awscli into $VENV"
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check awscli
fi
AWS=$VENV/bin/aws
say "using $("$AWS" --version 2>&1)"

# --------------------------------------------------------------------- server
if [[ ! -x $BIN ]]; then
    echo "awscli-smoke: server binary $BIN not found (build it, or set PORTCULLIS_BIN)" >&2
    exit 2
fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT=http://127.0.0.1:$PORT
say "starting $BIN dev --listen 127.0.0.1:$PORT"
"$BIN" dev --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

port_open() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()' "$PORT" 2>/dev/null; }
ready=0
for _ in $(seq $((READY_TIMEOUT * 10))); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "awscli-smoke: server exited before it was ready; its output:" >&2
        sed 's/^/    /' "$WORK/server.log" >&2
        SERVER_PID=
        exit 2
    fi
    # (log lines may carry ANSI colour codes: strip them before matching)
    if [[ $(sed 's/\x1b\[[0-9;]*m//g' "$WORK/server.log") == *"listening on 127.0.0.1:$PORT"* ]] && port_open; then
        ready=1
        break
    fi
    sleep 0.1
done
if [[ $ready != 1 ]]; then
    echo "awscli-smoke: no 'listening on 127.0.0.1:$PORT' within ${READY_TIMEOUT}s; server output:" >&2
    sed 's/^/    /' "$WORK/server.log" >&2
    exit 2
fi
say "server ready (pid $SERVER_PID)"

# ---------------------------------------------------------------- aws helpers
# A clean AWS environment: nothing from the user's profile, shell or config.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL \
    AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_STS AWS_CA_BUNDLE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI
export AWS_CONFIG_FILE=$WORK/aws-config AWS_SHARED_CREDENTIALS_FILE=$WORK/aws-credentials
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard
export AWS_PAGER=

# aws_as KEY SECRET NAME ARGS... — run `aws ARGS` signed with KEY/SECRET;
# stdout goes to $WORK/NAME.out, stderr to $WORK/NAME.err, exit code to $RC.
RC=0
aws_as() {
    local key=$1 secret=$2 name=$3
    shift 3
    set +e
    AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret timeout 60 \
        "$AWS" --endpoint-url "$ENDPOINT" --output json \
        --cli-connect-timeout 5 --cli-read-timeout 30 "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err"
    RC=$?
    set -e
}
aws_root() { aws_as "$ROOT_KEY" "$ROOT_SECRET" "$@"; }
# aws_session KEY SECRET TOKEN NAME ARGS... — like aws_as, with temporary credentials.
aws_session() {
    local token=$3
    set -- "$1" "$2" "${@:4}"
    AWS_SESSION_TOKEN=$token aws_as "$@"
}
# expect_ok DESC NAME — the last command exited 0; otherwise show its stderr.
expect_ok() {
    if [[ $RC == 0 ]]; then
        pass "$1 exits 0"
    else
        fail "$1 exits 0" "exit code $RC; stderr: $(head -c 600 "$WORK/$2.err" | tr '\n' ' ')"
    fi
}

# ------------------------------------------------------------------- the test
say "root: aws sts get-caller-identity"
aws_root gci-root sts get-caller-identity
expect_ok "sts get-caller-identity (root)" gci-root
expect_eq "root Arn" "$(jget "$WORK/gci-root.out" 'd["Arn"]')" "arn:aws:iam::$ACCOUNT:root"
expect_eq "root Account" "$(jget "$WORK/gci-root.out" 'd["Account"]')" "$ACCOUNT"

say "aws iam create-user --user-name $ALICE"
aws_root create-alice iam create-user --user-name "$ALICE"
expect_ok "iam create-user $ALICE" create-alice
expect_eq "User.UserName" "$(jget "$WORK/create-alice.out" 'd["User"]["UserName"]')" "$ALICE"
expect_eq "User.Arn" "$(jget "$WORK/create-alice.out" 'd["User"]["Arn"]')" "arn:aws:iam::$ACCOUNT:user/$ALICE"
expect_re "User.UserId starts with AIDA" "$(jget "$WORK/create-alice.out" 'd["User"]["UserId"]')" '^AIDA[A-Z0-9]{12,}$'
expect_eq "User.Path" "$(jget "$WORK/create-alice.out" 'd["User"]["Path"]')" "/"

say "aws iam create-access-key --user-name $ALICE"
aws_root key-alice iam create-access-key --user-name "$ALICE"
expect_ok "iam create-access-key" key-alice
ALICE_KEY=$(jget "$WORK/key-alice.out" 'd["AccessKey"]["AccessKeyId"]')
ALICE_SECRET=$(jget "$WORK/key-alice.out" 'd["AccessKey"]["SecretAccessKey"]')
expect_re "AccessKeyId starts with AKIA" "$ALICE_KEY" '^AKIA[A-Z0-9]{16}$'
expect_eq "SecretAccessKey length" "${#ALICE_SECRET}" 40
expect_eq "AccessKey.UserName" "$(jget "$WORK/key-alice.out" 'd["AccessKey"]["UserName"]')" "$ALICE"
expect_eq "AccessKey.Status" "$(jget "$WORK/key-alice.out" 'd["AccessKey"]["Status"]')" "Active"

say "$ALICE's key: aws sts get-caller-identity"
aws_as "$ALICE_KEY" "$ALICE_SECRET" gci-alice sts get-caller-identity
expect_ok "sts get-caller-identity ($ALICE, no policies)" gci-alice
expect_eq "caller Arn" "$(jget "$WORK/gci-alice.out" 'd["Arn"]')" "arn:aws:iam::$ACCOUNT:user/$ALICE"
expect_eq "caller UserId" "$(jget "$WORK/gci-alice.out" 'd["UserId"]')" \
    "$(jget "$WORK/create-alice.out" 'd["User"]["UserId"]')"
expect_eq "caller Account" "$(jget "$WORK/gci-alice.out" 'd["Account"]')" "$ACCOUNT"

say "create 5 more users"
for u in "${OTHERS[@]}"; do
    aws_root "create-$u" iam create-user --user-name "$u"
    expect_ok "iam create-user $u" "create-$u"
done
ALL_USERS=$(printf '%s\n' "$ALICE" "${OTHERS[@]}" | sort | paste -sd, -)

say "aws iam list-users --page-size 2 (server-side Marker paging)"
aws_root list-paged iam list-users --page-size 2 --debug
expect_ok "iam list-users --page-size 2" list-paged
expect_eq "users returned over all pages" \
    "$(jget "$WORK/list-paged.out" '",".join(sorted(u["UserName"] for u in d["Users"]))')" "$ALL_USERS"
# botocore --debug logs every request's params: count ListUsers requests and
# how many of them carried a Marker from the previous page.
requests=$(grep -c "Making request for OperationModel(name=ListUsers)" "$WORK/list-paged.err" || true)
markers=$(grep "Making request for OperationModel(name=ListUsers)" "$WORK/list-paged.err" | grep -c "'Marker'" || true)
expect_eq "ListUsers requests for 6 users at MaxItems=2" "$requests" 3
expect_eq "requests that followed a Marker" "$markers" 2

say "aws iam list-users --max-items 2"
aws_root list-max2 iam list-users --max-items 2
expect_ok "iam list-users --max-items 2" list-max2
expect_eq "users in first page" "$(jget "$WORK/list-max2.out" 'len(d["Users"])')" 2
NEXT=$(jget "$WORK/list-max2.out" 'd["NextToken"]')
expect_re "NextToken present" "$NEXT" '.+'
if [[ -n $NEXT ]]; then
    aws_root list-rest iam list-users --starting-token "$NEXT" --max-items 10 --page-size 2
    expect_ok "iam list-users --starting-token" list-rest
    expect_eq "first page + rest = all users, no duplicates" \
        "$(python3 - "$WORK/list-max2.out" "$WORK/list-rest.out" <<'EOF' 2>/dev/null || true
import json, sys
names = [u["UserName"] for f in sys.argv[1:] for u in json.load(open(f))["Users"]]
print(",".join(sorted(names)) if len(names) == len(set(names)) else "duplicates: " + ",".join(names))
EOF
)" "$ALL_USERS"
    expect_eq "no NextToken after the last page" "$(jget "$WORK/list-rest.out" '"NextToken" in d')" false
fi

say "$ALICE's key: aws iam list-users (no policy allows it)"
aws_as "$ALICE_KEY" "$ALICE_SECRET" denied iam list-users
if [[ $RC != 0 ]]; then pass "denied list-users exits non-zero ($RC)"; else fail "denied list-users exits non-zero" "exit 0; stdout: $(head -c 300 "$WORK/denied.out" | tr '\n' ' ')"; fi
if grep -q "AccessDenied" "$WORK/denied.err"; then
    pass "stderr names AccessDenied: $(grep -m1 AccessDenied "$WORK/denied.err")"
else
    fail "stderr names AccessDenied" "stderr: $(head -c 600 "$WORK/denied.err" | tr '\n' ' ')"
fi

say "$ALICE assumes a role and uses its temporary credentials"
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$ACCOUNT':user/'$ALICE'"},"Action":"sts:AssumeRole"}]}'
aws_root create-role iam create-role --role-name smoke-reader --assume-role-policy-document "$TRUST"
expect_ok "iam create-role smoke-reader" create-role
aws_root put-role-policy iam put-role-policy --role-name smoke-reader --policy-name read \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}'
expect_ok "iam put-role-policy" put-role-policy
aws_as "$ALICE_KEY" "$ALICE_SECRET" assume sts assume-role \
    --role-arn "arn:aws:iam::$ACCOUNT:role/smoke-reader" --role-session-name smoke
expect_ok "sts assume-role ($ALICE has no policy; the trust policy names her)" assume
S_KEY=$(jget "$WORK/assume.out" 'd["Credentials"]["AccessKeyId"]')
S_SECRET=$(jget "$WORK/assume.out" 'd["Credentials"]["SecretAccessKey"]')
S_TOKEN=$(jget "$WORK/assume.out" 'd["Credentials"]["SessionToken"]')
expect_re "temporary AccessKeyId starts with ASIA" "$S_KEY" '^ASIA[A-Z0-9]{16}$'
expect_eq "AssumedRoleUser.Arn" "$(jget "$WORK/assume.out" 'd["AssumedRoleUser"]["Arn"]')" \
    "arn:aws:sts::$ACCOUNT:assumed-role/smoke-reader/smoke"
aws_session "$S_KEY" "$S_SECRET" "$S_TOKEN" gci-session sts get-caller-identity
expect_ok "sts get-caller-identity (session)" gci-session
expect_eq "session Arn" "$(jget "$WORK/gci-session.out" 'd["Arn"]')" \
    "arn:aws:sts::$ACCOUNT:assumed-role/smoke-reader/smoke"
aws_session "$S_KEY" "$S_SECRET" "$S_TOKEN" session-list iam list-users
expect_ok "iam list-users with the role's credentials (the role allows it)" session-list
aws_session "$S_KEY" "$S_SECRET" "$S_TOKEN" session-create iam create-user --user-name smoke-nope
if [[ $RC != 0 ]] && grep -q "AccessDenied" "$WORK/session-create.err"; then
    pass "iam create-user with the role's credentials is denied (AccessDenied)"
else
    fail "iam create-user with the role's credentials is denied" "exit $RC; stderr: $(head -c 300 "$WORK/session-create.err" | tr '\n' ' ')"
fi
aws_root del-role-policy iam delete-role-policy --role-name smoke-reader --policy-name read
expect_ok "iam delete-role-policy" del-role-policy
aws_root del-role iam delete-role --role-name smoke-reader
expect_ok "iam delete-role" del-role

say "cleanup"
aws_root del-key iam delete-access-key --user-name "$ALICE" --access-key-id "$ALICE_KEY"
expect_ok "iam delete-access-key" del-key
aws_as "$ALICE_KEY" "$ALICE_SECRET" gci-deleted sts get-caller-identity
if [[ $RC != 0 ]] && grep -q "InvalidClientTokenId" "$WORK/gci-deleted.err"; then
    pass "deleted key is refused (InvalidClientTokenId)"
else
    fail "deleted key is refused (InvalidClientTokenId)" "exit $RC; stdout: $(head -c 300 "$WORK/gci-deleted.out" | tr '\n' ' ') stderr: $(head -c 300 "$WORK/gci-deleted.err" | tr '\n' ' ')"
fi
for u in "$ALICE" "${OTHERS[@]}"; do
    aws_root "delete-$u" iam delete-user --user-name "$u"
    expect_ok "iam delete-user $u" "delete-$u"
done
aws_root list-empty iam list-users
expect_ok "iam list-users" list-empty
expect_eq "users left" "$(jget "$WORK/list-empty.out" 'len(d["Users"])')" 0

# expect_err DESC NAME CODE — the last command failed and its stderr names the AWS error CODE.
expect_err() {
    if [[ $RC != 0 ]] && grep -q "($3)" "$WORK/$2.err"; then
        pass "$1 fails with $3"
    else
        fail "$1 fails with $3" "exit $RC; stderr: $(head -c 400 "$WORK/$2.err" | tr '\n' ' ')"
    fi
}

say "instance profiles"
aws_root ip-role iam create-role --role-name smoke-ec2 \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
expect_ok "iam create-role smoke-ec2" ip-role
aws_root ip-create iam create-instance-profile --instance-profile-name smoke-web --path /app/
expect_ok "iam create-instance-profile" ip-create
expect_eq "InstanceProfile.Arn" "$(jget "$WORK/ip-create.out" 'd["InstanceProfile"]["Arn"]')" "arn:aws:iam::$ACCOUNT:instance-profile/app/smoke-web"
expect_re "InstanceProfileId starts with AIPA" "$(jget "$WORK/ip-create.out" 'd["InstanceProfile"]["InstanceProfileId"]')" '^AIPA[A-Z0-9]{17}$'
aws_root ip-add iam add-role-to-instance-profile --instance-profile-name smoke-web --role-name smoke-ec2
expect_ok "iam add-role-to-instance-profile" ip-add
aws_root ip-get iam get-instance-profile --instance-profile-name smoke-web
expect_ok "iam get-instance-profile" ip-get
expect_eq "Roles[0].RoleName" "$(jget "$WORK/ip-get.out" 'd["InstanceProfile"]["Roles"][0]["RoleName"]')" smoke-ec2
expect_eq "Roles[0].AssumeRolePolicyDocument decoded" "$(jget "$WORK/ip-get.out" 'd["InstanceProfile"]["Roles"][0]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]')" ec2.amazonaws.com
aws_root ip-list iam list-instance-profiles --path-prefix /app/
expect_ok "iam list-instance-profiles" ip-list
expect_eq "profiles under /app/" "$(jget "$WORK/ip-list.out" '[p["InstanceProfileName"] for p in d["InstanceProfiles"]]')" '["smoke-web"]'
aws_root ip-del-role iam delete-role --role-name smoke-ec2
expect_err "iam delete-role while in a profile" ip-del-role DeleteConflict
aws_root ip-remove iam remove-role-from-instance-profile --instance-profile-name smoke-web --role-name smoke-ec2
expect_ok "iam remove-role-from-instance-profile" ip-remove
aws_root ip-delete iam delete-instance-profile --instance-profile-name smoke-web
expect_ok "iam delete-instance-profile" ip-delete
aws_root ip-gone iam get-instance-profile --instance-profile-name smoke-web
expect_err "iam get-instance-profile after delete" ip-gone NoSuchEntity
aws_root ip-role-del iam delete-role --role-name smoke-ec2
expect_ok "iam delete-role smoke-ec2" ip-role-del

say "OpenID Connect providers"
OIDC_ARN=arn:aws:iam::$ACCOUNT:oidc-provider/token.actions.githubusercontent.com
aws_root oidc-create iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com \
    --client-id-list sts.amazonaws.com --thumbprint-list 6938FD4D98BAB03FAADB97B34396831E3780AEA1
expect_ok "iam create-open-id-connect-provider" oidc-create
expect_eq "OpenIDConnectProviderArn" "$(jget "$WORK/oidc-create.out" 'd["OpenIDConnectProviderArn"]')" "$OIDC_ARN"
aws_root oidc-dup iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com
expect_err "a second provider for the same URL" oidc-dup EntityAlreadyExists
aws_root oidc-add iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn "$OIDC_ARN" --client-id my-app
expect_ok "iam add-client-id-to-open-id-connect-provider" oidc-add
aws_root oidc-get iam get-open-id-connect-provider --open-id-connect-provider-arn "$OIDC_ARN"
expect_ok "iam get-open-id-connect-provider" oidc-get
expect_eq "Url" "$(jget "$WORK/oidc-get.out" 'd["Url"]')" token.actions.githubusercontent.com
expect_eq "ClientIDList" "$(jget "$WORK/oidc-get.out" 'd["ClientIDList"]')" '["sts.amazonaws.com", "my-app"]'
expect_eq "ThumbprintList" "$(jget "$WORK/oidc-get.out" 'd["ThumbprintList"]')" '["6938fd4d98bab03faadb97b34396831e3780aea1"]'
aws_root oidc-list iam list-open-id-connect-providers
expect_ok "iam list-open-id-connect-providers" oidc-list
expect_eq "provider ARNs" "$(jget "$WORK/oidc-list.out" '[p["Arn"] for p in d["OpenIDConnectProviderList"]]')" "[\"$OIDC_ARN\"]"
aws_root oidc-del iam delete-open-id-connect-provider --open-id-connect-provider-arn "$OIDC_ARN"
expect_ok "iam delete-open-id-connect-provider" oidc-del
aws_root oidc-gone iam get-open-id-connect-provider --open-id-connect-provider-arn "$OIDC_ARN"
expect_err "iam get-open-id-connect-provider after delete" oidc-gone NoSuchEntity

say "SAML providers"
SAML_ARN=arn:aws:iam::$ACCOUNT:saml-provider/smoke-idp
python3 - "$WORK/saml-metadata.xml" <<'EOF'
import sys
cert = "MIIC" * 250
open(sys.argv[1], "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml" validUntil="2031-05-04T03:02:01Z">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>""")
EOF
aws_root saml-create iam create-saml-provider --name smoke-idp --saml-metadata-document "file://$WORK/saml-metadata.xml"
expect_ok "iam create-saml-provider" saml-create
expect_eq "SAMLProviderArn" "$(jget "$WORK/saml-create.out" 'd["SAMLProviderArn"]')" "$SAML_ARN"
aws_root saml-get iam get-saml-provider --saml-provider-arn "$SAML_ARN"
expect_ok "iam get-saml-provider" saml-get
expect_re "ValidUntil from the metadata" "$(jget "$WORK/saml-get.out" 'd["ValidUntil"]')" '^2031-05-04T03:02:01'
aws_root saml-list iam list-saml-providers
expect_ok "iam list-saml-providers" saml-list
expect_eq "provider ARNs" "$(jget "$WORK/saml-list.out" '[p["Arn"] for p in d["SAMLProviderList"]]')" "[\"$SAML_ARN\"]"
aws_root saml-bad iam create-saml-provider --name smoke-bad --saml-metadata-document "<not-metadata>$(printf 'x%.0s' $(seq 1000))</not-metadata>"
expect_err "metadata that is not SAML metadata" saml-bad InvalidInput
aws_root saml-req iam update-saml-provider --saml-provider-arn "$SAML_ARN" --assertion-encryption-mode Required
expect_err "Required encryption without a private key" saml-req InvalidInput
aws_root saml-key iam update-saml-provider --saml-provider-arn "$SAML_ARN" --assertion-encryption-mode Required \
    --add-private-key "file://crates/server/tests/fixtures/certs/server-rsa.key"
expect_ok "iam update-saml-provider --add-private-key" saml-key
aws_root saml-get-key iam get-saml-provider --saml-provider-arn "$SAML_ARN"
expect_eq "AssertionEncryptionMode" "$(jget "$WORK/saml-get-key.out" 'd["AssertionEncryptionMode"]')" "Required"
SAML_KEY_ID=$(jget "$WORK/saml-get-key.out" 'd["PrivateKeyList"][0]["KeyId"]')
expect_re "KeyId" "$SAML_KEY_ID" '^[A-Z0-9]{22,64}$'
expect_eq "private key never returned" "$(grep -c 'PRIVATE KEY' "$WORK/saml-get-key.out")" "0"
aws_root saml-rm-last iam update-saml-provider --saml-provider-arn "$SAML_ARN" --remove-private-key "$SAML_KEY_ID"
expect_err "removing the last key while Required" saml-rm-last InvalidInput
aws_root saml-rm iam update-saml-provider --saml-provider-arn "$SAML_ARN" --assertion-encryption-mode Allowed \
    --remove-private-key "$SAML_KEY_ID"
expect_ok "iam update-saml-provider --remove-private-key" saml-rm
aws_root saml-del iam delete-saml-provider --saml-provider-arn "$SAML_ARN"
expect_ok "iam delete-saml-provider" saml-del
aws_root saml-gone iam get-saml-provider --saml-provider-arn "$SAML_ARN"
expect_err "iam get-saml-provider after delete" saml-gone NoSuchEntity
# ------------------------------------------------- user credentials and certificates
CRED_USER=smoke-creds
FIX=crates/server/tests/fixtures
say "credentials of $CRED_USER: SSH public keys"
aws_root cred-user iam create-user --user-name "$CRED_USER"
expect_ok "iam create-user $CRED_USER" cred-user
aws_root ssh-up iam upload-ssh-public-key --user-name "$CRED_USER" --ssh-public-key-body "file://$FIX/ssh/ed1.pub"
expect_ok "iam upload-ssh-public-key" ssh-up
SSH_ID=$(jget "$WORK/ssh-up.out" 'd["SSHPublicKey"]["SSHPublicKeyId"]')
expect_re "SSHPublicKeyId starts with APKA" "$SSH_ID" '^APKA[A-Z2-7]{17}$'
expect_eq "Fingerprint is ssh-keygen's MD5" "$(jget "$WORK/ssh-up.out" 'd["SSHPublicKey"]["Fingerprint"]')" \
    "$(awk '$1 == "ed1.pub" {print $2}' "$FIX/ssh/fingerprints.txt")"
aws_root ssh-pem iam get-ssh-public-key --user-name "$CRED_USER" --ssh-public-key-id "$SSH_ID" --encoding PEM
expect_ok "iam get-ssh-public-key --encoding PEM" ssh-pem
expect_re "PEM body" "$(jget "$WORK/ssh-pem.out" 'd["SSHPublicKey"]["SSHPublicKeyBody"].splitlines()[0]')" '^-----BEGIN PUBLIC KEY-----$'
aws_root ssh-off iam update-ssh-public-key --user-name "$CRED_USER" --ssh-public-key-id "$SSH_ID" --status Inactive
expect_ok "iam update-ssh-public-key --status Inactive" ssh-off
aws_root ssh-list iam list-ssh-public-keys --user-name "$CRED_USER"
expect_ok "iam list-ssh-public-keys" ssh-list
expect_eq "listed key status" "$(jget "$WORK/ssh-list.out" '[k["Status"] for k in d["SSHPublicKeys"]]')" '["Inactive"]'
aws_root ssh-bad iam upload-ssh-public-key --user-name "$CRED_USER" --ssh-public-key-body "file://$FIX/ssh/rsa1024.pub"
if [[ $RC != 0 ]] && grep -q InvalidPublicKey "$WORK/ssh-bad.err"; then pass "1024-bit RSA key refused (InvalidPublicKey)"; else fail "1024-bit RSA key refused (InvalidPublicKey)" "exit $RC; $(head -c 300 "$WORK/ssh-bad.err")"; fi
aws_root user-busy iam delete-user --user-name "$CRED_USER"
if [[ $RC != 0 ]] && grep -q DeleteConflict "$WORK/user-busy.err"; then pass "delete-user with an SSH key: DeleteConflict"; else fail "delete-user with an SSH key: DeleteConflict" "exit $RC"; fi
aws_root ssh-del iam delete-ssh-public-key --user-name "$CRED_USER" --ssh-public-key-id "$SSH_ID"
expect_ok "iam delete-ssh-public-key" ssh-del
say "credentials of $CRED_USER: service-specific credentials"
aws_root ssc-up iam create-service-specific-credential --user-name "$CRED_USER" --service-name codecommit.amazonaws.com
expect_ok "iam create-service-specific-credential" ssc-up
SSC_ID=$(jget "$WORK/ssc-up.out" 'd["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]')
expect_re "ServiceSpecificCredentialId starts with ACCA" "$SSC_ID" '^ACCA[A-Z2-7]{17}$'
expect_eq "ServiceUserName" "$(jget "$WORK/ssc-up.out" 'd["ServiceSpecificCredential"]["ServiceUserName"]')" "$CRED_USER-at-$ACCOUNT"
expect_eq "ServicePassword length" "$(jget "$WORK/ssc-up.out" 'len(d["ServiceSpecificCredential"]["ServicePassword"])')" 44
aws_root ssc-list iam list-service-specific-credentials --user-name "$CRED_USER"
expect_ok "iam list-service-specific-credentials" ssc-list
expect_eq "listing has no password" "$(jget "$WORK/ssc-list.out" '[("ServicePassword" in c) for c in d["ServiceSpecificCredentials"]]')" '[false]'
aws_root ssc-reset iam reset-service-specific-credential --user-name "$CRED_USER" --service-specific-credential-id "$SSC_ID"
expect_ok "iam reset-service-specific-credential" ssc-reset
aws_root ssc-bad iam create-service-specific-credential --user-name "$CRED_USER" --service-name lambda.amazonaws.com
if [[ $RC != 0 ]] && grep -q "No such service lambda.amazonaws.com" "$WORK/ssc-bad.err"; then pass "unsupported service refused"; else fail "unsupported service refused" "exit $RC; $(head -c 300 "$WORK/ssc-bad.err")"; fi
aws_root ssc-del iam delete-service-specific-credential --user-name "$CRED_USER" --service-specific-credential-id "$SSC_ID"
expect_ok "iam delete-service-specific-credential" ssc-del
say "credentials of $CRED_USER: signing certificate"
aws_root sig-up iam upload-signing-certificate --user-name "$CRED_USER" --certificate-body "file://$FIX/certs/signing1.pem"
expect_ok "iam upload-signing-certificate" sig-up
SIG_ID=$(jget "$WORK/sig-up.out" 'd["Certificate"]["CertificateId"]')
expect_re "CertificateId" "$SIG_ID" '^[A-Z2-7]{24,}$'
aws_root sig-dup iam upload-signing-certificate --user-name "$CRED_USER" --certificate-body "file://$FIX/certs/signing1.pem"
if [[ $RC != 0 ]] && grep -q DuplicateCertificate "$WORK/sig-dup.err"; then pass "same certificate twice: DuplicateCertificate"; else fail "same certificate twice: DuplicateCertificate" "exit $RC"; fi
aws_root sig-list iam list-signing-certificates --user-name "$CRED_USER"
expect_eq "listed certificate ids" "$(jget "$WORK/sig-list.out" '[c["CertificateId"] for c in d["Certificates"]]')" "[\"$SIG_ID\"]"
aws_root sig-del iam delete-signing-certificate --user-name "$CRED_USER" --certificate-id "$SIG_ID"
expect_ok "iam delete-signing-certificate" sig-del

say "server certificate"
aws_root srv-up iam upload-server-certificate --server-certificate-name smoke-web --path /cloudfront/ \
    --certificate-body "file://$FIX/certs/server-rsa.pem" --private-key "file://$FIX/certs/server-rsa.key" \
    --certificate-chain "file://$FIX/certs/ca.pem" --tags Key=env,Value=smoke
expect_ok "iam upload-server-certificate" srv-up
expect_eq "server certificate Arn" "$(jget "$WORK/srv-up.out" 'd["ServerCertificateMetadata"]["Arn"]')" "arn:aws:iam::$ACCOUNT:server-certificate/cloudfront/smoke-web"
expect_re "Expiration from notAfter" "$(jget "$WORK/srv-up.out" 'd["ServerCertificateMetadata"]["Expiration"]')" '^2126-11-07'
aws_root srv-get iam get-server-certificate --server-certificate-name smoke-web
expect_ok "iam get-server-certificate" srv-get
expect_eq "no private key in the response" "$(jget "$WORK/srv-get.out" '"PrivateKey" in str(d) or "PRIVATE KEY" in str(d)')" false
expect_eq "chain returned" "$(jget "$WORK/srv-get.out" 'd["ServerCertificate"]["CertificateChain"].startswith("-----BEGIN CERTIFICATE-----")')" true
aws_root srv-mismatch iam upload-server-certificate --server-certificate-name smoke-bad \
    --certificate-body "file://$FIX/certs/server-rsa.pem" --private-key "file://$FIX/certs/other-pkcs8.key"
if [[ $RC != 0 ]] && grep -q KeyPairMismatch "$WORK/srv-mismatch.err"; then pass "wrong private key: KeyPairMismatch"; else fail "wrong private key: KeyPairMismatch" "exit $RC; $(head -c 300 "$WORK/srv-mismatch.err")"; fi
aws_root srv-list iam list-server-certificates --path-prefix /cloudfront/
expect_eq "listed server certificates" "$(jget "$WORK/srv-list.out" '[m["ServerCertificateName"] for m in d["ServerCertificateMetadataList"]]')" '["smoke-web"]'
aws_root srv-del iam delete-server-certificate --server-certificate-name smoke-web
expect_ok "iam delete-server-certificate" srv-del
aws_root cred-user-del iam delete-user --user-name "$CRED_USER"
expect_ok "iam delete-user $CRED_USER" cred-user-del

say "account authorization details"
aws_root gaad-user iam create-user --user-name smoke-gaad
expect_ok "iam create-user smoke-gaad" gaad-user
aws_root gaad-put iam put-user-policy --user-name smoke-gaad --policy-name inline \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
expect_ok "iam put-user-policy" gaad-put
aws_root gaad iam get-account-authorization-details --filter User
expect_ok "iam get-account-authorization-details" gaad
expect_eq "decoded inline document of smoke-gaad" "$(jget "$WORK/gaad.out" '[p["PolicyDocument"]["Statement"][0]["Action"] for u in d["UserDetailList"] if u["UserName"]=="smoke-gaad" for p in u["UserPolicyList"]]')" '["s3:GetObject"]'
aws_root gaad-roles iam get-account-authorization-details --filter Role
expect_eq "Filter Role lists no users" "$(jget "$WORK/gaad-roles.out" 'len(d["UserDetailList"])')" 0
aws_root gaad-delpol iam delete-user-policy --user-name smoke-gaad --policy-name inline
aws_root gaad-deluser iam delete-user --user-name smoke-gaad
expect_ok "iam delete-user smoke-gaad" gaad-deluser

say "service-linked role"
aws_root slr iam create-service-linked-role --aws-service-name elasticbeanstalk.amazonaws.com
expect_eq "service-linked role name" "$(jget "$WORK/slr.out" 'd["Role"]["RoleName"]')" AWSServiceRoleForElasticBeanstalk
expect_eq "trust policy names the service" "$(jget "$WORK/slr.out" 'd["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]')" elasticbeanstalk.amazonaws.com
aws_root slr-delrole iam delete-role --role-name AWSServiceRoleForElasticBeanstalk
if [[ $RC != 0 ]] && grep -q UnmodifiableEntity "$WORK/slr-delrole.err"; then pass "delete-role on it: UnmodifiableEntity"; else fail "delete-role on it: UnmodifiableEntity" "exit $RC"; fi
aws_root slr-del iam delete-service-linked-role --role-name AWSServiceRoleForElasticBeanstalk
SLR_TASK=$(jget "$WORK/slr-del.out" 'd["DeletionTaskId"]')
expect_re "DeletionTaskId" "$SLR_TASK" '^task/aws-service-role/elasticbeanstalk\.amazonaws\.com/AWSServiceRoleForElasticBeanstalk/[0-9a-f-]{36}$'
aws_root slr-status iam get-service-linked-role-deletion-status --deletion-task-id "$SLR_TASK"
expect_eq "deletion status" "$(jget "$WORK/slr-status.out" 'd["Status"]')" SUCCEEDED
say "Organizations features (the account is in no organization)"
aws_root org-features iam list-organizations-features
expect_err "iam list-organizations-features" org-features OrganizationNotFoundException
aws_root org-sessions iam enable-organizations-root-sessions
expect_err "iam enable-organizations-root-sessions" org-sessions OrganizationNotFoundException
aws_root org-report iam generate-organizations-access-report --entity-path o-a1b2c3d4e5/r-f6g7h8i9j0example
expect_ok "iam generate-organizations-access-report" org-report
ORG_JOB=$(jget "$WORK/org-report.out" 'd["JobId"]')
aws_root org-report-get iam get-organizations-access-report --job-id "$ORG_JOB"
expect_eq "organizations report status" "$(jget "$WORK/org-report-get.out" 'd["JobStatus"]')" FAILED

say "account settings"
aws_root sts-prefs iam set-security-token-service-preferences --global-endpoint-token-version v2Token
expect_ok "iam set-security-token-service-preferences" sts-prefs
aws_root summary-v2 iam get-account-summary
expect_eq "GlobalEndpointTokenVersion" "$(jget "$WORK/summary-v2.out" 'd["SummaryMap"]["GlobalEndpointTokenVersion"]')" 2
aws_root owif-get iam get-outbound-web-identity-federation-info
expect_err "iam get-outbound-web-identity-federation-info while disabled" owif-get FeatureDisabled
aws_root owif-on iam enable-outbound-web-identity-federation
expect_re "issuer identifier" "$(jget "$WORK/owif-on.out" 'd["IssuerIdentifier"]')" '^https://[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws$'
aws_root owif-on-again iam enable-outbound-web-identity-federation
expect_err "iam enable-outbound-web-identity-federation twice" owif-on-again FeatureEnabled
aws_root owif-off iam disable-outbound-web-identity-federation
expect_ok "iam disable-outbound-web-identity-federation" owif-off

say "delegation requests (none exist here)"
aws_root dr-list iam list-delegation-requests
expect_eq "delegation requests" "$(jget "$WORK/dr-list.out" 'd["DelegationRequests"]')" '[]'
aws_root dr-get iam get-delegation-request --delegation-request-id dr-0123456789abcdef
expect_err "iam get-delegation-request" dr-get NoSuchEntity

say "service last accessed"
aws_root sla-user iam create-user --user-name smoke-advisor
aws_root sla-put iam put-user-policy --user-name smoke-advisor --policy-name read \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}'
expect_ok "iam put-user-policy smoke-advisor" sla-put
aws_root sla-gen iam generate-service-last-accessed-details --arn "arn:aws:iam::$ACCOUNT:user/smoke-advisor"
expect_re "service last accessed JobId" "$(jget "$WORK/sla-gen.out" 'd["JobId"]')" '^[0-9a-f-]{36}$'
aws_root sla-get iam get-service-last-accessed-details --job-id "$(jget "$WORK/sla-gen.out" 'd["JobId"]')"
expect_eq "report status" "$(jget "$WORK/sla-get.out" 'd["JobStatus"]')" COMPLETED
expect_eq "services allowed" "$(jget "$WORK/sla-get.out" '[x["ServiceNamespace"] for x in d["ServicesLastAccessed"]]')" '["iam"]'
aws_root sla-pol iam list-policies-granting-service-access --arn "arn:aws:iam::$ACCOUNT:user/smoke-advisor" --service-namespaces iam s3
expect_eq "policies granting iam, s3" "$(jget "$WORK/sla-pol.out" '[[p["PolicyName"] for p in e["Policies"]] for e in d["PoliciesGrantingServiceAccess"]]')" '[["read"], []]'
aws_root sla-none iam generate-service-last-accessed-details --arn "arn:aws:iam::$ACCOUNT:user/smoke-nobody"
expect_err "iam generate-service-last-accessed-details for a missing user" sla-none NoSuchEntity
aws_root sla-del-pol iam delete-user-policy --user-name smoke-advisor --policy-name read
aws_root sla-del iam delete-user --user-name smoke-advisor
expect_ok "iam delete-user smoke-advisor" sla-del

say "credential report"
aws_root cr-none iam get-credential-report
expect_err "iam get-credential-report before any" cr-none ReportNotPresent
aws_root cr-gen iam generate-credential-report
expect_eq "report generation" "$(jget "$WORK/cr-gen.out" 'd["State"]')" STARTED
aws_root cr-gen2 iam generate-credential-report
expect_eq "report kept for 4 hours" "$(jget "$WORK/cr-gen2.out" 'd["State"]')" COMPLETE
aws_root cr-get iam get-credential-report
expect_eq "report format" "$(jget "$WORK/cr-get.out" 'd["ReportFormat"]')" text/csv
expect_eq "report header columns" "$(jget "$WORK/cr-get.out" 'len(__import__("base64").b64decode(d["Content"]).decode().splitlines()[0].split(","))')" 22
expect_eq "report root row" "$(jget "$WORK/cr-get.out" '__import__("base64").b64decode(d["Content"]).decode().splitlines()[1].split(",")[:2]')" "[\"<root_account>\", \"arn:aws:iam::$ACCOUNT:root\"]"
say "passwords"
aws_root pw-user iam create-user --user-name smoke-console
aws_root pw-key iam create-access-key --user-name smoke-console
PW_KEY=$(jget "$WORK/pw-key.out" 'd["AccessKey"]["AccessKeyId"]')
PW_SECRET=$(jget "$WORK/pw-key.out" 'd["AccessKey"]["SecretAccessKey"]')
aws_root pw-weak iam create-login-profile --user-name smoke-console --password 'short'
expect_err "iam create-login-profile with a weak password" pw-weak PasswordPolicyViolation
aws_root pw-create iam create-login-profile --user-name smoke-console --password 'Vq7#pLz2!mWx' --password-reset-required
expect_eq "LoginProfile.PasswordResetRequired" "$(jget "$WORK/pw-create.out" 'd["LoginProfile"]["PasswordResetRequired"]')" true
aws_root pw-policy iam update-account-password-policy --minimum-password-length 12 --require-numbers --allow-users-to-change-password --max-password-age 90
expect_ok "iam update-account-password-policy" pw-policy
aws_root pw-get-policy iam get-account-password-policy
expect_eq "PasswordPolicy.MinimumPasswordLength" "$(jget "$WORK/pw-get-policy.out" 'd["PasswordPolicy"]["MinimumPasswordLength"]')" 12
expect_eq "PasswordPolicy.ExpirePasswords" "$(jget "$WORK/pw-get-policy.out" 'd["PasswordPolicy"]["ExpirePasswords"]')" true
expect_eq "PasswordPolicy.PasswordReusePrevention omitted" "$(jget "$WORK/pw-get-policy.out" '"PasswordReusePrevention" in d["PasswordPolicy"]')" false
aws_as "$PW_KEY" "$PW_SECRET" pw-change iam change-password --old-password 'Vq7#pLz2!mWx' --new-password 'Rt4&kNs9@bHy'
expect_ok "iam change-password (AllowUsersToChangePassword)" pw-change
aws_as "$PW_KEY" "$PW_SECRET" pw-change-again iam change-password --old-password 'Vq7#pLz2!mWx' --new-password 'Gm2*wQx8^cJe'
expect_err "iam change-password with the wrong old password" pw-change-again AccessDenied
aws_root pw-root-change iam change-password --old-password 'Vq7#pLz2!mWx' --new-password 'Gm2*wQx8^cJe'
expect_err "iam change-password as root" pw-root-change InvalidUserType
aws_root pw-profile iam get-login-profile --user-name smoke-console
expect_eq "reset flag cleared" "$(jget "$WORK/pw-profile.out" 'd["LoginProfile"]["PasswordResetRequired"]')" false
aws_root pw-del-user iam delete-user --user-name smoke-console
expect_err "iam delete-user with a login profile" pw-del-user DeleteConflict
aws_root pw-del iam delete-login-profile --user-name smoke-console
expect_ok "iam delete-login-profile" pw-del
aws_root pw-del-key iam delete-access-key --user-name smoke-console --access-key-id "$PW_KEY"
aws_root pw-del-user2 iam delete-user --user-name smoke-console
expect_ok "iam delete-user smoke-console" pw-del-user2
aws_root pw-del-policy iam delete-account-password-policy
expect_ok "iam delete-account-password-policy" pw-del-policy
aws_root pw-no-policy iam get-account-password-policy
expect_err "iam get-account-password-policy without one" pw-no-policy NoSuchEntity
say "virtual MFA devices and MFA sessions"
MFA_USER=smoke-mfa
MFA_SERIAL=arn:aws:iam::$ACCOUNT:mfa/smoke-mfa-phone
# totp SEEDFILE STEP-OFFSET — the RFC 6238 code (SHA-1, 6 digits, 30 s) of the step
# STEP-OFFSET steps from now (plus the clock shift $MFA_SHIFT seconds), for the base32 seed.
MFA_SHIFT=0
totp() {
    python3 - "$1" "$2" "$MFA_SHIFT" <<'EOF'
import base64, hashlib, hmac, struct, sys, time
seed = base64.b32decode(open(sys.argv[1]).read().strip())
step = (int(time.time()) + int(sys.argv[3])) // 30 + int(sys.argv[2])
h = hmac.new(seed, struct.pack(">q", step), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))
EOF
}
# Codes are computed before the CLI starts (about a second): near the end of a 30-second step,
# wait for the next one, so the server checks them in the step they were made for.
fresh_step() {
    while (( ($(date +%s) + MFA_SHIFT) % 30 > 22 )); do sleep 1; done
}
shift_clock() {
    MFA_SHIFT=$1
    python3 - "$PORT" "$1" <<'EOF'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/_portcullis/clock", data=f"offset_seconds={sys.argv[2]}".encode()), timeout=5).read()
EOF
}
aws_root mfa-user iam create-user --user-name "$MFA_USER"
aws_root mfa-key iam create-access-key --user-name "$MFA_USER"
MFA_KEY=$(jget "$WORK/mfa-key.out" 'd["AccessKey"]["AccessKeyId"]')
MFA_SECRET=$(jget "$WORK/mfa-key.out" 'd["AccessKey"]["SecretAccessKey"]')
aws_root mfa-create iam create-virtual-mfa-device --virtual-mfa-device-name smoke-mfa-phone \
    --outfile "$WORK/mfa-seed.txt" --bootstrap-method Base32StringSeed
expect_ok "iam create-virtual-mfa-device --outfile (Base32StringSeed)" mfa-create
expect_eq "SerialNumber" "$(jget "$WORK/mfa-create.out" 'd["VirtualMFADevice"]["SerialNumber"]')" "$MFA_SERIAL"
expect_re "seed file: 64 base32 characters" "$(cat "$WORK/mfa-seed.txt" 2>/dev/null)" '^[A-Z2-7]{64}$'
aws_root mfa-qr iam create-virtual-mfa-device --virtual-mfa-device-name smoke-mfa-spare \
    --outfile "$WORK/mfa-qr.png" --bootstrap-method QRCodePNG
expect_ok "iam create-virtual-mfa-device --outfile (QRCodePNG)" mfa-qr
expect_eq "QR code file is a PNG" "$(head -c 8 "$WORK/mfa-qr.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
aws_root mfa-bad iam enable-mfa-device --user-name "$MFA_USER" --serial-number "$MFA_SERIAL" \
    --authentication-code1 000000 --authentication-code2 000001
expect_err "iam enable-mfa-device with wrong codes" mfa-bad InvalidAuthenticationCode
fresh_step
aws_root mfa-enable iam enable-mfa-device --user-name "$MFA_USER" --serial-number "$MFA_SERIAL" \
    --authentication-code1 "$(totp "$WORK/mfa-seed.txt" -1)" --authentication-code2 "$(totp "$WORK/mfa-seed.txt" 0)"
expect_ok "iam enable-mfa-device" mfa-enable
aws_root mfa-assigned iam list-virtual-mfa-devices --assignment-status Assigned
expect_eq "assigned devices' users" "$(jget "$WORK/mfa-assigned.out" '[v["User"]["UserName"] for v in d["VirtualMFADevices"]]')" "[\"$MFA_USER\"]"
aws_root mfa-list iam list-mfa-devices --user-name "$MFA_USER"
expect_eq "iam list-mfa-devices" "$(jget "$WORK/mfa-list.out" '[m["SerialNumber"] for m in d["MFADevices"]]')" "[\"$MFA_SERIAL\"]"
aws_root mfa-del-user iam delete-user --user-name "$MFA_USER"
expect_err "iam delete-user with an MFA device" mfa-del-user DeleteConflict
aws_root mfa-pol iam put-user-policy --user-name "$MFA_USER" --policy-name mfa-only \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListMFADevices","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}'
aws_as "$MFA_KEY" "$MFA_SECRET" mfa-longterm iam list-mfa-devices
expect_err "iam list-mfa-devices needing MFA, with the long-term key" mfa-longterm AccessDenied
shift_clock 30
fresh_step
MFA_CODE=$(totp "$WORK/mfa-seed.txt" 0)
aws_as "$MFA_KEY" "$MFA_SECRET" mfa-gst sts get-session-token --serial-number "$MFA_SERIAL" --token-code "$MFA_CODE"
expect_ok "sts get-session-token with MFA" mfa-gst
aws_session "$(jget "$WORK/mfa-gst.out" 'd["Credentials"]["AccessKeyId"]')" \
    "$(jget "$WORK/mfa-gst.out" 'd["Credentials"]["SecretAccessKey"]')" \
    "$(jget "$WORK/mfa-gst.out" 'd["Credentials"]["SessionToken"]')" mfa-session iam list-mfa-devices
expect_ok "iam list-mfa-devices needing MFA, from the MFA session" mfa-session
aws_as "$MFA_KEY" "$MFA_SECRET" mfa-replay sts get-session-token --serial-number "$MFA_SERIAL" --token-code "$MFA_CODE"
expect_err "sts get-session-token replaying the code" mfa-replay AccessDenied
shift_clock 0
aws_root mfa-off iam deactivate-mfa-device --user-name "$MFA_USER" --serial-number "$MFA_SERIAL"
expect_ok "iam deactivate-mfa-device" mfa-off
aws_root mfa-del iam delete-virtual-mfa-device --serial-number "$MFA_SERIAL"
expect_ok "iam delete-virtual-mfa-device" mfa-del
aws_root mfa-del-spare iam delete-virtual-mfa-device --serial-number "arn:aws:iam::$ACCOUNT:mfa/smoke-mfa-spare"
aws_root mfa-gone iam delete-virtual-mfa-device --serial-number "$MFA_SERIAL"
expect_err "iam delete-virtual-mfa-device twice" mfa-gone NoSuchEntity
aws_root mfa-pol-del iam delete-user-policy --user-name "$MFA_USER" --policy-name mfa-only
aws_root mfa-key-del iam delete-access-key --user-name "$MFA_USER" --access-key-id "$MFA_KEY"
aws_root mfa-user-del iam delete-user --user-name "$MFA_USER"
expect_ok "iam delete-user $MFA_USER" mfa-user-del

# ------------------------------------------------------------- serve over TLS
# `serve` speaks TLS with the self-signed certificate it makes on first start; the CLI trusts
# exactly that certificate (--ca-bundle) and nothing else.
say "serve over TLS with its self-signed certificate"
TLS_DATA=$WORK/tls-data
"$BIN" init --data-dir "$TLS_DATA" >"$WORK/tls-init.out" 2>&1
TLS_KEY=$(sed -n 's/^Root access key id: *//p' "$WORK/tls-init.out")
TLS_SECRET=$(sed -n 's/^Root secret access key: *//p' "$WORK/tls-init.out")
TLS_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --data-dir "$TLS_DATA" --listen "127.0.0.1:$TLS_PORT" >"$WORK/tls-server.log" 2>&1 &
TLS_PID=$!
for _ in $(seq $((READY_TIMEOUT * 10))); do
    [[ $(sed 's/\x1b\[[0-9;]*m//g' "$WORK/tls-server.log") == *"listening on 127.0.0.1:$TLS_PORT"* ]] && break
    sleep 0.1
done
tls_aws() {
    local name=$1
    shift
    set +e
    AWS_ACCESS_KEY_ID=$TLS_KEY AWS_SECRET_ACCESS_KEY=$TLS_SECRET timeout 60 \
        "$AWS" --endpoint-url "https://127.0.0.1:$TLS_PORT" --output json \
        --cli-connect-timeout 5 --cli-read-timeout 30 "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err"
    RC=$?
    set -e
}
tls_aws tls-gci --ca-bundle "$TLS_DATA/tls/cert.pem" sts get-caller-identity
expect_ok "sts get-caller-identity over TLS (--ca-bundle the served certificate)" tls-gci
tls_aws tls-user --ca-bundle "$TLS_DATA/tls/cert.pem" iam create-user --user-name tls-user
expect_ok "iam create-user over TLS" tls-user

say "CloudTrail LookupEvents over the audit trail of serve"
tls_aws tls-user2 --ca-bundle "$TLS_DATA/tls/cert.pem" iam create-user --user-name tls-user2
tls_aws tls-user3 --ca-bundle "$TLS_DATA/tls/cert.pem" iam create-user --user-name tls-user3
tls_aws ct-lookup --ca-bundle "$TLS_DATA/tls/cert.pem" cloudtrail lookup-events \
    --lookup-attributes AttributeKey=EventName,AttributeValue=CreateUser --page-size 1
expect_ok "cloudtrail lookup-events (EventName=CreateUser, pages of 1)" ct-lookup
expect_eq "CreateUser events, newest first, across pages" \
    "$(jget "$WORK/ct-lookup.out" '",".join(e["Resources"][0]["ResourceName"] for e in d["Events"])')" \
    "tls-user3,tls-user2,tls-user"
expect_eq "their Username and embedded record" \
    "$(jget "$WORK/ct-lookup.out" 'd["Events"][0]["Username"] + " " + __import__("json").loads(d["Events"][0]["CloudTrailEvent"])["eventSource"]')" \
    "root iam.amazonaws.com"
tls_aws ct-resource --ca-bundle "$TLS_DATA/tls/cert.pem" cloudtrail lookup-events \
    --lookup-attributes AttributeKey=ResourceName,AttributeValue=tls-user2
expect_eq "lookup by ResourceName" \
    "$(jget "$WORK/ct-resource.out" '",".join(e["EventName"] for e in d["Events"])')" "CreateUser"
tls_aws ct-bad --ca-bundle "$TLS_DATA/tls/cert.pem" cloudtrail lookup-events \
    --lookup-attributes AttributeKey=Color,AttributeValue=blue
expect_re "an unknown lookup attribute is refused" "$(cat "$WORK/ct-bad.err")" "InvalidLookupAttributesException"
tls_aws ct-key --ca-bundle "$TLS_DATA/tls/cert.pem" iam create-access-key --user-name tls-user
CT_KEY=$(jget "$WORK/ct-key.out" 'd["AccessKey"]["AccessKeyId"]')
CT_SECRET=$(jget "$WORK/ct-key.out" 'd["AccessKey"]["SecretAccessKey"]')
TLS_KEY=$CT_KEY TLS_SECRET=$CT_SECRET tls_aws ct-denied --ca-bundle "$TLS_DATA/tls/cert.pem" \
    cloudtrail lookup-events
expect_re "a user without cloudtrail:LookupEvents is refused" "$(cat "$WORK/ct-denied.err")" "AccessDeniedException"
tls_aws ct-grant --ca-bundle "$TLS_DATA/tls/cert.pem" iam put-user-policy --user-name tls-user \
    --policy-name trail --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}'
TLS_KEY=$CT_KEY TLS_SECRET=$CT_SECRET tls_aws ct-allowed --ca-bundle "$TLS_DATA/tls/cert.pem" \
    cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=PutUserPolicy
expect_eq "allowed by a policy, the user sees the grant" \
    "$(jget "$WORK/ct-allowed.out" '[r["ResourceName"] for r in d["Events"][0]["Resources"] if r["ResourceType"] == "AWS::IAM::User"][0]')" "tls-user"

say "portcullis cleanup and audit against serve over TLS (AWS_CA_BUNDLE)"
set +e
AWS_ACCESS_KEY_ID=$TLS_KEY AWS_SECRET_ACCESS_KEY=$TLS_SECRET AWS_CA_BUNDLE="$TLS_DATA/tls/cert.pem" \
    "$BIN" cleanup plan --endpoint-url "https://127.0.0.1:$TLS_PORT" --json \
    >"$WORK/cleanup-tls.out" 2>"$WORK/cleanup-tls.err"
RC=$?
set -e
expect_ok "portcullis cleanup plan over TLS" cleanup-tls
expect_eq "its JSON report" \
    "$(jget "$WORK/cleanup-tls.out" '",".join(k for k in ("findings", "steps", "kept") if isinstance(d.get(k), list))')" \
    "findings,steps,kept"
set +e
AWS_ACCESS_KEY_ID=$TLS_KEY AWS_SECRET_ACCESS_KEY=$TLS_SECRET AWS_CA_BUNDLE="$TLS_DATA/tls/cert.pem" \
    "$BIN" audit --endpoint-url "https://127.0.0.1:$TLS_PORT" --json \
    >"$WORK/audit-tls.out" 2>"$WORK/audit-tls.err"
RC=$?
set -e
expect_eq "portcullis audit over TLS exits 1 (the root key exists)" "$RC" "1"
expect_eq "root-no-access-keys" \
    "$(jget "$WORK/audit-tls.out" '[c["status"] for c in d["checks"] if c["id"] == "root-no-access-keys"][0]')" "FAIL"

python3 -c 'print("")' >"$WORK/empty-ca.pem"
tls_aws tls-untrusted --ca-bundle "$WORK/empty-ca.pem" sts get-caller-identity
if [[ $RC != 0 ]]; then pass "a CA bundle without the certificate is refused"; else fail "a CA bundle without the certificate is refused"; fi
kill "$TLS_PID" 2>/dev/null || true
wait "$TLS_PID" 2>/dev/null || true

echo
if [[ $FAILED != 0 ]]; then
    echo "server output (last 40 lines):"
    tail -n 40 "$WORK/server.log" | sed 's/^/    /'
fi
echo "awscli-smoke: $PASSED passed, $FAILED failed"
[[ $FAILED == 0 ]]
