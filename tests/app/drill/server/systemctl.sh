#!/bin/bash
# systemctl stand-in for the units a boot script writes or its packages install, following systemd
# (freedesktop.org/software/systemd/man/latest/systemctl.html, systemd.unit(5), systemd.service(5)):
# - a unit file is looked up in /etc/systemd/system, then /usr/lib/systemd/system, and its drop-ins
#   /etc/systemd/system/<unit>.d/*.conf are read after it (list settings such as ExecStartPre
#   accumulate); a missing unit fails: "Failed to enable unit: Unit file X does not exist." (exit 1),
#   "Failed to start X: Unit X not found." (exit 5); a name without a suffix means .service;
# - daemon-reload re-reads unit files (this stand-in reads them at every start: a no-op here);
# - enable links the unit into its WantedBy target; --now also starts it;
# - start runs every ExecStartPre (a failure fails the job: "Job for X failed because the control
#   process exited with error code.", exit 1; a leading "-" ignores it), then ExecStart in the
#   background with its output in the journal (here /var/log/journal/<unit>.log); Type=notify waits
#   for the daemon's READY=1 on $NOTIFY_SOCKET (here a FIFO), then ExecStartPost;
# - is-active prints active/inactive (exit 0/3).
# Not modelled: Restart= (no unit dies in a drill unless its server does).
set -u
state=/run/drill-systemd
mkdir -p "$state" /var/log/journal
echo "$*" >> "$state/calls.log"
now=0
args=()
for a in "$@"; do
    case $a in --now) now=1 ;; --no-block | --quiet | -q | --system) ;; *) args+=("$a") ;; esac
done
verb=${args[0]:-}
units=()
for u in "${args[@]:1}"; do case $u in *.*) units+=("$u") ;; *) units+=("$u.service") ;; esac; done

unit_path() {
    local d
    for d in /etc/systemd/system /usr/lib/systemd/system; do
        if [ -f "$d/$1" ]; then echo "$d/$1"; return 0; fi
    done
    return 1
}
# The values of Key in [Section] of unit $1 and its drop-ins, in reading order (bash only: no spawn).
unit_values() {
    local files=("$(unit_path "$1")") f line inside
    for f in /etc/systemd/system/"$1".d/*.conf; do [ -f "$f" ] && files+=("$f"); done
    for f in "${files[@]}"; do
        inside=0
        while IFS= read -r line || [ -n "$line" ]; do
            case $line in
                "[$2]") inside=1 ;;
                "["*) inside=0 ;;
                "$3="*) [ $inside = 1 ] && printf '%s\n' "${line#"$3="}" ;;
            esac
        done < "$f"
    done
}
last() { local value= line; while IFS= read -r line; do [ -n "$line" ] && value=$line; done; printf '%s' "$value"; }
alive() { local pid; [ -f "$state/$1.pid" ] && read -r pid < "$state/$1.pid" && kill -0 "$pid" 2>/dev/null; }
run_control() { # one ExecStartPre/Post line of unit $1
    local line=$2 ignore=0
    [ "${line#-}" != "$line" ] && ignore=1 && line=${line#-}
    # shellcheck disable=SC2086 # a command line, split as systemd splits it (no quotes in these units)
    if ! $line >> "/var/log/journal/$1.log" 2>&1 && [ $ignore = 0 ]; then
        echo "Job for $1 failed because the control process exited with error code." >&2
        exit 1
    fi
}

start() {
    local unit=$1 line type
    if ! unit_path "$unit" > /dev/null; then
        echo "Failed to start $unit: Unit $unit not found." >&2
        exit 5
    fi
    alive "$unit" && return 0
    while IFS= read -r line; do [ -n "$line" ] && run_control "$unit" "$line"; done < <(unit_values "$unit" Service ExecStartPre)
    type=$(unit_values "$unit" Service Type | last)
    line=$(unit_values "$unit" Service ExecStart | last)
    # sd_notify's socket, as a FIFO: the daemon writes READY=1 into it (dockerd.mjs).
    rm -f "$state/$unit.notify"
    [ "$type" = notify ] && mkfifo -m 0600 "$state/$unit.notify"
    # shellcheck disable=SC2086 # as above
    NOTIFY_SOCKET="$state/$unit.notify" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        setsid ${line#[-@:+!]} < /dev/null >> "/var/log/journal/$unit.log" 2>&1 &
    echo $! > "$state/$unit.pid"
    if [ "$type" = notify ]; then
        local ready=
        # A daemon that dies before READY=1 leaves the FIFO without a writer: the read times out.
        read -r -t 30 ready <> "$state/$unit.notify" || true
        if [ "$ready" != READY=1 ] || ! alive "$unit"; then
            echo "Job for $unit failed because the control process exited with error code." >&2
            exit 1
        fi
    fi
    while IFS= read -r line; do [ -n "$line" ] && run_control "$unit" "$line"; done < <(unit_values "$unit" Service ExecStartPost)
}

case $verb in
    daemon-reload) ;;
    enable)
        for unit in "${units[@]}"; do
            if ! path=$(unit_path "$unit"); then
                echo "Failed to enable unit: Unit file $unit does not exist." >&2
                exit 1
            fi
            target=$(unit_values "$unit" Install WantedBy | last)
            mkdir -p "/etc/systemd/system/${target:-multi-user.target}.wants"
            ln -sf "$path" "/etc/systemd/system/${target:-multi-user.target}.wants/$unit"
            [ $now = 1 ] && start "$unit"
        done
        ;;
    start) for unit in "${units[@]}"; do start "$unit"; done ;;
    is-active)
        for unit in "${units[@]}"; do
            if ! alive "$unit"; then echo inactive; exit 3; fi
        done
        echo active
        ;;
    *)
        echo "drill: the systemctl stand-in does not implement \"$verb\"" >&2
        exit 99
        ;;
esac
