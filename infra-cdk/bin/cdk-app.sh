#!/usr/bin/env bash
# The CDK app command (cdk.json "app"): builds the modules whose artifacts become assets (both Lambda jars, the
# shard service's Docker build context) and the app itself, then runs dev.strata.infra.StrataApp.
# STRATA_CDK_SKIP_BUILD=1 reuses what is already built (faster repeated synths).
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$module/.." && pwd)"
source "$root/bin/lib/jdk.sh"
strata_select_jdk >&2
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
cd "$root"
if [[ "${STRATA_CDK_SKIP_BUILD:-0}" != "1" ]]; then
  ./mvnw -B -q -ntp -pl ingest-lambda,router-lambda,shard-service-ecs,infra-cdk -am package -DskipTests >&2
fi
./mvnw -B -q -ntp -o -pl infra-cdk -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/cdk-classpath.txt -Dmdep.includeScope=runtime >&2
exec "$JAVA_HOME/bin/java" -cp "$module/target/classes:$(cat "$module/target/cdk-classpath.txt")" \
  dev.strata.infra.StrataApp
