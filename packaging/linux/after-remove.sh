#!/bin/bash
# deb post-remove: take away the command-line wrapper the post-install wrote.
rm -f '/usr/bin/${executable}'
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi
