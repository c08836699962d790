#!/usr/bin/python3
"""cloud-init stand-in: applies a #cloud-config the way cloud-init does on first boot, inside a
simulated server (host/server.sh). Written from the cloud-init module docs
(cloudinit.readthedocs.io/en/latest/reference/modules.html), in cloud-init's own language and
YAML loader (python3 + PyYAML, what cloud-init itself runs on):
- write_files (init stage): "path", "content", "owner" (default root:root), "permissions"
  (default '0644'), "encoding" (b64/base64, gzip, gz+b64), "append"; parent directories are
  created; entries with "defer: true" are written in the final stage instead.
- package_update / packages (final stage, module package_update_upgrade_install, before
  scripts_user): installed by the distro package manager; a failure fails that module only.
- runcmd: "each item can be either a list or a string"; lists are shell-quoted, strings are
  written as is, into /var/lib/cloud/instance/scripts/runcmd, which scripts_user runs with /bin/sh
  in the final stage; its output goes to /var/log/cloud-init-output.log.
The drill reads /var/lib/cloud/instance/boot-finished.json for the exit status of runcmd.
"""
import base64
import grp
import gzip
import json
import os
import pwd
import shlex
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import drillpackages  # noqa: E402

LOG = "/var/log/cloud-init-output.log"


def say(line):
    with open(LOG, "a") as log:
        log.write(line + "\n")


def decode(entry):
    text = entry.get("content", "")
    encoding = entry.get("encoding", "text/plain")
    if encoding in ("b64", "base64"):
        return base64.b64decode(text)
    if encoding in ("gzip", "gz"):
        return gzip.decompress(text.encode("latin-1"))
    if encoding in ("gz+b64", "gz+base64", "gzip+base64", "gzip+b64"):
        return gzip.decompress(base64.b64decode(text))
    return text.encode()


def write_files(config, deferred):
    for entry in config.get("write_files") or []:
        if bool(entry.get("defer")) != deferred:
            continue
        path = entry["path"]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "ab" if entry.get("append") else "wb") as f:
            f.write(decode(entry))
        os.chmod(path, int(str(entry.get("permissions", "0644")), 8))
        user, _, group = str(entry.get("owner", "root:root")).partition(":")
        os.chown(path, pwd.getpwnam(user).pw_uid, grp.getgrnam(group or user).gr_gid)


def main():
    with open(sys.argv[1]) as f:
        user_data = f.read()
    if not user_data.startswith("#cloud-config\n"):
        sys.exit("user data is not a #cloud-config")
    # yaml.safe_load's semantics, through libyaml when PyYAML has it (as cloud-init's util.load_yaml does not care which).
    config = yaml.load(user_data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    write_files(config, False)
    say(f"Cloud-init (drill) init stage: wrote {len(config.get('write_files') or [])} files")
    for name in config.get("packages") or []:
        say(f"package {name}: {drillpackages.install(str(name))}")
    write_files(config, True)
    lines = [" ".join(shlex.quote(str(a)) for a in item) if isinstance(item, list) else str(item) for item in config.get("runcmd") or []]
    os.makedirs("/var/lib/cloud/instance/scripts", exist_ok=True)
    script = "/var/lib/cloud/instance/scripts/runcmd"
    with open(script, "w") as f:
        f.write("#!/bin/sh\n" + "\n".join(lines) + "\n")
    os.chmod(script, 0o700)
    started = time.monotonic()
    # Output straight to the log file (not a pipe), so daemons the script leaves behind cannot hold it open.
    with open(LOG, "a") as log:
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}
        result = subprocess.run(["/bin/sh", script], stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, check=False)
    with open("/var/lib/cloud/instance/boot-finished.json", "w") as f:
        json.dump({"exitCode": result.returncode, "seconds": time.monotonic() - started}, f)


main()
