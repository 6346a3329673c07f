# The lab's echo client (Socket Programming-I), as the lab gives it; the port may be passed as the first argument.
import socket
import sys

HOST = "127.0.0.1"  # The server's hostname or IP address
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 65432  # The port used by the server

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    s.sendall(b"Hello, world")
    data = s.recv(1024)

print(f"Received {data!r}")
