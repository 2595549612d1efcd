#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keytar
# talks to a real Secret Service (tests and CI on Linux). Usage: scripts/with-keyring.sh CMD...
# On a desktop session that already has a keychain, just run the command directly instead.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/with-keyring.sh COMMAND [ARGS...]" >&2
  exit 2
fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session and gnome-keyring-daemon are needed (apt-get install dbus gnome-keyring)." >&2
  exit 1
fi
exec dbus-run-session -- bash -c '
  set -e
  # A throwaway keyring in a throwaway home for the secrets, so tests never touch a real one.
  export XDG_DATA_HOME="$(mktemp -d -t vitalsync-keyring-XXXXXX)"
  eval "$(echo -n vitalsync-test | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  status=0
  "$@" || status=$?
  rm -rf "$XDG_DATA_HOME"
  exit $status
' with-keyring "$@"
