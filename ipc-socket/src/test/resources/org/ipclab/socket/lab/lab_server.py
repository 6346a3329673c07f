# The lab's echo server (Socket Programming-I), as the lab gives it; the port may be passed as the first argument.
import socket
import sys

HOST = "127.0.0.1"  # Standard loopback interface address (localhost)
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 65432  # Port to listen on (non-privileged ports are > 1023)

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen()
    while True:
        conn, addr = s.accept()
        with conn:
            print(f"Connected by {addr}")
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                conn.sendall(data)
