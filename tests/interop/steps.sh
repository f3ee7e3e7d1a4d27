# Shared by the interop scripts (sourced): progress lines, failure, and the
# check that a verifier rejects a tampered input. $label names the case.

step() { echo "== $label: $*"; }
fail() { echo "FAIL ($label): $*" >&2; exit 1; }
# Runs a verifier that must reject: exit status non-zero and no crash.
must_reject() {
  local what="$1"; shift
  local rc=0
  "$@" >reject.log 2>&1 || rc=$?
  [[ $rc -ne 0 ]] || { cat reject.log; fail "$what accepted a tampered input"; }
  # zkacc: 4 = invalid proof; 1 = unreadable input. snarkjs: 1.
  grep -qi "invalid\|error" reject.log || { cat reject.log; fail "$what rejected without saying why"; }
}
