#!/bin/sh
# The core library stays GTK-free (DESIGN.md, Layers).
set -eu
if grep -rnE '#\s*include\s*[<"](gtk/|adwaita|libnotify|gdk/)' "$1"; then
  echo "src/core includes a GTK, libadwaita or libnotify header (above)" >&2
  exit 1
fi
echo "src/core includes no GTK, libadwaita or libnotify header"
