#!/usr/bin/env sh
# Runs the SteerOpt CLI exactly as ./steeropt does (same JVM flags and environment), minus the build step: the image
# already holds studies/target/steeropt.jar and lib/.
set -eu
home="${STEEROPT_HOME:-/opt/steeropt}"
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}"
export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cpu}"
# shellcheck disable=SC2086
exec java ${STEEROPT_JAVA_OPTS:--Xss8m} -Dai.djl.offline="${STEEROPT_DJL_OFFLINE:-true}" \
  -Dsteeropt.home="$home" -jar "$home/studies/target/steeropt.jar" "$@"
