#!/usr/bin/env python3
"""A UDP echo server in the Python standard library: every datagram goes back to whoever sent it.

usage: udp_echo_server.py HOST PORT   (port 0: the kernel chooses)
Prints "PORT <n>" once bound, then echoes until its stdin closes.
"""
import select
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.bind((host, port))
    print(f"PORT {s.getsockname()[1]}", flush=True)
    while True:
        readable, _, _ = select.select([s, sys.stdin], [], [])
        if sys.stdin in readable and not sys.stdin.buffer.read1(1):
            break
        if s in readable:
            data, address = s.recvfrom(65535)
            s.sendto(data, address)
