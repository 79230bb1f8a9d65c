#!/usr/bin/env sh
# Runs the SteerOpt CLI exactly as ./steeropt does (same JVM flags and environment), minus the build step: the image
# already holds studies/target/steeropt.jar and lib/.
set -eu
home="${STEEROPT_HOME:-/opt/steeropt}"
# the launcher's malloc settings (see ./steeropt): activations up to 32 MB stay in the heap, the heap is never trimmed
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}"
export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cpu}"
# shellcheck disable=SC2086
exec java ${STEEROPT_JAVA_OPTS:--Xss8m} -Dai.djl.offline="${STEEROPT_DJL_OFFLINE:-true}" \
  -Dsteeropt.home="$home" -jar "$home/studies/target/steeropt.jar" "$@"
