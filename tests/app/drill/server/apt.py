#!/usr/bin/python3
"""dpkg / apt-get stand-in (Ubuntu servers), for the AZNFS install the Azure boot steps do
(Azure/AZNFS-mount README: install packages-microsoft-prod.deb, apt-get update, apt-get install
aznfs). Called as dpkg or apt-get (the name it is run by):
- `dpkg -i FILE.deb` and `apt-get install FILE.deb` (apt(8): "a file path ... to install local
  .deb files"; a name with a "/" is a path) of packages-microsoft-prod.deb add the Microsoft
  repository (/etc/apt/sources.list.d/microsoft-prod.list); a missing file is "dpkg: error: cannot
  access archive 'X': No such file or directory" (dpkg, exit 2) or "E: Unsupported file X given
  on commandline" (apt-get, exit 100); anything else is not a Debian archive;
- `apt-get update` succeeds; `apt-get install NAME` installs a package the enabled repositories
  have (drillpackages.py), else "E: Unable to locate package NAME" (exit 100).
-o options (DPkg::Lock::Timeout...) are accepted: no one else holds the dpkg lock in a drill.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import drillpackages  # noqa: E402

tool = os.path.basename(sys.argv[0]).replace(".py", "")
args = []
skip = False
for a in sys.argv[1:]:
    if skip:
        skip = False
    elif a == "-o":
        skip = True
    elif not a.startswith("-o"):
        args.append(a)


def fail(message, code):
    sys.stderr.write(message + "\n")
    sys.exit(code)


def add_microsoft_repository(deb):
    with open(deb, "rb") as f:
        if not f.read(64).startswith(b"!<arch>\npackages-microsoft-prod"):
            fail(f"dpkg-deb: error: '{deb}' is not a Debian format archive", 1)
    os.makedirs(os.path.dirname(drillpackages.MICROSOFT_LIST), exist_ok=True)
    with open(drillpackages.MICROSOFT_LIST, "w") as f:
        f.write("deb [arch=amd64] https://packages.microsoft.com/ubuntu/24.04/prod noble main\n")


if tool == "dpkg":
    deb = args[args.index("-i") + 1] if "-i" in args else ""
    if not os.path.exists(deb):
        fail(f"dpkg: error: cannot access archive '{deb}': No such file or directory", 2)
    add_microsoft_repository(deb)
    sys.exit(0)
words = [a for a in args if a not in ("-y", "-q", "-qq", "--yes", "--no-install-recommends")]
verb, names = (words[0] if words else ""), words[1:]
if verb == "update":
    sys.exit(0)
if verb != "install":
    fail(f'drill: the apt-get stand-in does not implement "{verb}"', 99)
for name in names:
    if "/" in name:
        if not os.path.exists(name):
            fail(f"E: Unsupported file {name} given on commandline", 100)
        add_microsoft_repository(name)
    elif drillpackages.install(name) != "installed":
        fail(f"E: Unable to locate package {name}", 100)
