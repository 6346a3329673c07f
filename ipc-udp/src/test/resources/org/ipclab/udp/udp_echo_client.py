#!/usr/bin/env python3
"""A UDP echo client in the Python standard library: send one datagram, wait for its echo, resend twice.

usage: udp_echo_client.py HOST PORT MESSAGE
Prints "Received b'...'" and exits 0, or "no echo after 3 tries" and exits 1.
"""
import socket
import sys

host, port, message = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.connect((host, port))
    s.settimeout(1.0)
    for attempt in range(3):
        s.send(message)
        try:
            data = s.recv(65535)
        except socket.timeout:
            continue
        print(f"Received {data!r}")
        sys.exit(0 if data == message else 1)
print("no echo after 3 tries")
sys.exit(1)
