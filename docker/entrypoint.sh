#!/usr/bin/env sh
# Runs the SteerOpt CLI exactly as ./steeropt does (same JVM flags, environment and jar), minus the build step: the
# image already holds studies/target/steeropt.jar and lib/. LauncherParityTest checks that the lines below match the
# launcher's.
set -eu
root="${STEEROPT_HOME:-/opt/steeropt}"
jar="$root/studies/target/steeropt.jar"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}"
export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cpu}"
# shellcheck disable=SC2086
exec java ${STEEROPT_JAVA_OPTS:--Xss8m} -Dai.djl.offline="${STEEROPT_DJL_OFFLINE:-true}" \
  -Dsteeropt.home="$root" -jar "$jar" "$@"
