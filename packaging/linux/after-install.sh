#!/bin/bash
# deb post-install (electron-builder fills in ${executable} and ${sanitizedProductName}).
# As electron-builder's own script, except that /usr/bin/vitalsync is the command line, not a
# link to the app: it runs the installed app with --cli, windowless (the headless Ozone platform,
# so it also works over ssh without a display).

cat > '/usr/bin/${executable}' <<'WRAPPER'
#!/bin/sh
# VitalSync's command line: the installed app answers it without opening a window.
exec '/opt/${sanitizedProductName}/${executable}' --ozone-platform=headless --cli "$@"
WRAPPER
chmod 0755 '/usr/bin/${executable}'

# Use the SUID chrome-sandbox only where unprivileged user namespaces are unavailable.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

# The .desktop file declares x-scheme-handler/vitalsync: let the desktop know.
if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi
