#!/usr/bin/python3
"""systemd-journald stand-in, for what a boot's programs see of it: the syslog socket /dev/log
(systemd-journald-dev-log.socket, a datagram socket on Ubuntu 24.04 and Amazon Linux 2023 alike,
systemd-journald.service(8)), up before cloud-init runs. Every message it receives goes to
/var/log/journal/syslog.log, one per line, as journald stores it and forwards it to rsyslog
(ForwardToSyslog=, journald.conf(5)); the drill reads that file like any log of the server.
"""
import os
import socket

PATH = "/dev/log"
try:
    os.unlink(PATH)
except FileNotFoundError:
    pass
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(PATH)
os.chmod(PATH, 0o666)
os.makedirs("/var/log/journal", exist_ok=True)
with open("/var/log/journal/syslog.log", "ab", buffering=0) as journal:
    while True:
        journal.write(sock.recv(65536).rstrip(b"\n") + b"\n")
