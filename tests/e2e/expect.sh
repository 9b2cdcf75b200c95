# Helpers shared by the e2e scripts that check error paths (sourced; the script sets $case).

fail() { echo "FAIL ($case): $*" >&2; exit 1; }

# expect_error CODE PATTERN OUTPUT -- command...: exit code CODE, a one-line error on
# stderr matching PATTERN, and no file at OUTPUT.
expect_error() {
  local code=$1 pattern=$2 output=$3
  shift 4
  local rc=0
  "$@" >stdout.txt 2>stderr.txt || rc=$?
  cat stderr.txt
  [[ $rc == "$code" ]] || fail "exit code $rc, expected $code"
  [[ $(grep -c . stderr.txt) == 1 ]] || fail "expected a one-line error, got: $(cat stderr.txt)"
  grep -q -- "$pattern" stderr.txt || fail "error does not mention '$pattern'"
  [[ ! -e $output ]] || fail "a partial output was left at $output"
  local leftovers=("$(dirname "$output")"/.torch2onnx-*)
  [[ ! -e ${leftovers[0]} ]] || fail "a temporary directory was left behind: ${leftovers[*]}"
}

# expect_listing CODE PATTERN OUTPUT -- command...: as expect_error, for the unsupported-op
# report, which lists every op with its locations over several lines.
expect_listing() {
  local code=$1 pattern=$2 output=$3
  shift 4
  local rc=0
  "$@" >stdout.txt 2>stderr.txt || rc=$?
  cat stderr.txt
  [[ $rc == "$code" ]] || fail "exit code $rc, expected $code"
  grep -q -- "$pattern" stderr.txt || fail "error does not mention '$pattern'"
  [[ ! -e $output ]] || fail "a partial output was left at $output"
}
