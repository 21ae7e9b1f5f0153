"""A TCP forwarder the fault tests put between the app and PostgreSQL, to cut the line.

``cut()`` closes every open connection and refuses new ones (as a server that went away);
``restore()`` lets connections through again. It listens on the loopback only.
"""

import socket
import threading
from contextlib import suppress

CHUNK = 65536


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``target`` (host, port) in threads of this process."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.open_sockets: set[socket.socket] = set()
        self.refusing = False
        self.stopped = False
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def cut(self) -> None:
        """Drop every connection and refuse new ones until ``restore``."""
        with self.lock:
            self.refusing = True
            for sock in self.open_sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open_sockets.clear()

    def restore(self) -> None:
        with self.lock:
            self.refusing = False

    def close(self) -> None:
        self.stopped = True
        self.cut()
        self.listener.close()
        self.accepting.join(timeout=5)

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.refusing:
                    client.close()
                    continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open_sockets.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(CHUNK):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            with self.lock:
                for sock in (source, sink):
                    self.open_sockets.discard(sock)
                    with suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
