#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service: GNOME Keyring inside the current D-Bus session
# (start this under dbus-run-session), keeping its keyring in a throwaway folder so tests never touch
# the user's own keyring.
set -euo pipefail
keyrings=$(mktemp -d "${TMPDIR:-/tmp}/hoody-keyring.XXXXXX")
trap 'rm -rf "$keyrings"' EXIT
export XDG_DATA_HOME="$keyrings"
eval "$(printf 'hoody-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
export HOODY_KEYRING_READY=1
"$@"
