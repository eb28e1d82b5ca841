#!/bin/sh
# PROTOTYPE, measured by `npm run bench`, not shipped (see README, Performance): what a POSIX-sh front
# for `mailoauth token ACCOUNT` would cost on a runtime-cache hit. It reads the same entry the Node
# cache hit reads (src/store/runtime-cache.ts) with the same checks a shell can make, and execs the
# full command ($MAILOAUTH_NODE_CLI) on anything else. What it cannot do without parsing JSON: check
# accounts.json (an account removed by hand) and the re-auth date (the alert due 3 days ahead).
full() { exec "${MAILOAUTH_NODE:-node}" "$MAILOAUTH_NODE_CLI" "$@"; }
[ "$#" -eq 2 ] && [ "$1" = token ] || full "$@"
case "$2" in *[!A-Za-z0-9._@+-]*|''|-*|.*) full "$@" ;; esac
run=$XDG_RUNTIME_DIR
case "$run" in /*) ;; *) run=/run/user/$(id -u) ;; esac
# ours, closed to others, in memory: one find(1) for the mode and the file system
[ -d "$run" ] && [ -O "$run" ] || full "$@"
[ -n "$(find "$run" -maxdepth 0 \( -fstype tmpfs -o -fstype ramfs \) ! -perm /077 -print -quit 2>/dev/null)" ] || full "$@"
entry=$run/mailoauth/$2
[ -f "$entry" ] || full "$@"
config=${XDG_CONFIG_HOME:-$HOME/.config}/mailoauth
{ read -r magic; read -r dir; read -r expires; read -r token; } < "$entry" || full "$@"
[ "$magic" = 'mailoauth-access v1' ] && [ "$dir" = "$config" ] || full "$@"
case "$expires" in ''|*[!0-9]*) full "$@" ;; esac
now=$(date +%s)
# outside the 5-minute refresh margin
[ "$((expires / 1000 - now))" -gt 300 ] || full "$@"
printf '%s\n' "$token"
