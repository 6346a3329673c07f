"""A foreign client for ipc-lab's memory check: Python's own sockets, no ipc-lab code.

usage: idle_clients.py HOST PORT LOAD_CLIENTS ECHOES MESSAGE_BYTES IDLE

1. LOAD_CLIENTS clients, 50 at a time, each echo MESSAGE_BYTES random bytes ECHOES times (checked), then close;
   prints "LOADED" and waits for a line on stdin.
2. IDLE connections opened and left idle; prints "IDLE <n>" and waits for a line on stdin.
3. One more client's echo of 64 bytes while they stay open; prints "NEW <milliseconds>", closes everything, exits.
Every socket call has a 10 s timeout; any failure prints "FAILED <reason>" and exits 1.
"""
import os
import socket
import sys
import threading
import time


def echo(sock, data):
    sock.sendall(data)
    got = bytearray()
    while len(got) < len(data):
        chunk = sock.recv(min(65536, len(data) - len(got)))
        if not chunk:
            raise IOError("the server closed the connection mid-echo")
        got += chunk
    if bytes(got) != data:
        raise IOError("the echo differs from what was sent")


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    load, echoes, size, idle = (int(a) for a in sys.argv[3:7])
    errors = []

    def client():
        try:
            with socket.create_connection((host, port), timeout=10) as s:
                data = os.urandom(size)
                for _ in range(echoes):
                    echo(s, data)
        except Exception as e:  # reported once below
            errors.append(str(e))

    for start in range(0, load, 50):
        threads = [threading.Thread(target=client) for _ in range(min(50, load - start))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise IOError("load: " + errors[0])
    print("LOADED", flush=True)
    sys.stdin.readline()
    idle_sockets = []
    try:
        for _ in range(idle):
            idle_sockets.append(socket.create_connection((host, port), timeout=10))
        print("IDLE", len(idle_sockets), flush=True)
        sys.stdin.readline()
        started = time.monotonic()
        with socket.create_connection((host, port), timeout=10) as s:
            echo(s, b"x" * 64)
        print("NEW %.3f" % ((time.monotonic() - started) * 1000), flush=True)
    finally:
        for s in idle_sockets:
            s.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:
        print("FAILED", e, flush=True)
        sys.exit(1)
