#!/usr/bin/env bash
# The service benchmark (ServiceBenchmark, a test-scope main): a 10,000-trial study's trials API and dashboard page,
# side by side with the full list, in one run. Usage: studies/tools/bench-service.sh [trials] [work dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
./mvnw -B -q -o -pl studies -am test-compile process-test-classes -Djacoco.skip=true >&2
cp="studies/target/test-classes:studies/target/classes:$(cat studies/target/test-classpath.txt)"
exec java -cp "$cp" dev.steeropt.studies.service.ServiceBenchmark "$@"
