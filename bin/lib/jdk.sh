# Sourced by bin/* and .ci/run: selects a JDK >= 21 (25 when present) and exports JAVA_HOME.
# jvector uses the Vector API and native SIMD on JDK 22+, so 25 is preferred; the code compiles for release 21.

strata_java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

strata_select_jdk() {
  local candidates=() dir major best="" best_major=0
  [ -n "${STRATA_JAVA_HOME:-}" ] && candidates+=("$STRATA_JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64)
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for dir in /usr/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(strata_java_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"; best_major="$major"
    fi
    # An explicit STRATA_JAVA_HOME wins when it qualifies.
    if [ -n "${STRATA_JAVA_HOME:-}" ] && [ "$dir" = "$STRATA_JAVA_HOME" ] && [ "$major" -ge 21 ]; then
      best="$dir"; best_major="$major"; break
    fi
  done
  if [ -z "$best" ]; then
    echo "error: Strata needs a JDK 21 or newer (25 preferred: jvector uses its Vector API)." >&2
    echo "       None was found in STRATA_JAVA_HOME, JAVA_HOME, /usr/lib/jvm or on the PATH." >&2
    echo "       Install one (e.g. Temurin 25) and set STRATA_JAVA_HOME to its directory." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
