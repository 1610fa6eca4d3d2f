"""A network cable between the browser and the live server that a test can pull out.

Chromium's offline emulation (`context.set_offline`) sets `navigator.onLine` and fails the page's
own requests, but it is applied to a restarted service worker a moment late, and requests the worker
lets through are not seen by `context.route`: twice in CI an answer typed "offline" reached the
server. The page is therefore served through this relay, and pulling it out drops every open
connection and refuses new ones, as a dead network does, whatever the browser thinks.
"""

import contextlib
import socket
import struct
import threading
from urllib.parse import urlsplit


class Cable:
    def __init__(self, upstream_url):
        parts = urlsplit(upstream_url)
        self._upstream = (parts.hostname, parts.port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._open = set()
        self._plugged = True
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def unplug(self):
        """No byte passes from now on: open connections are reset, new ones refused."""
        with self._lock:
            self._plugged = False
            sockets, self._open = self._open, set()
        for sock in sockets:
            _reset(sock)

    def plug(self):
        with self._lock:
            self._plugged = True

    def close(self):
        self._closed = True
        self.unplug()
        self._listener.close()

    def _accept(self):
        while not self._closed:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            with self._lock:
                plugged = self._plugged
            if not plugged:
                _reset(client)
                continue
            try:
                server = socket.create_connection(self._upstream)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open.update((client, server))
            done = threading.Semaphore(0)
            for work, args in (
                (self._pump, (client, server, done)),
                (self._pump, (server, client, done)),
                (self._close_after, (client, server, done)),
            ):
                threading.Thread(target=work, args=args, daemon=True).start()

    def _pump(self, source, target, done):
        """One direction; at its end the other side is told, as TCP does (half close)."""
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # unplugged: the sockets were reset
        finally:
            done.release()

    def _close_after(self, client, server, done):
        done.acquire()
        done.acquire()
        with self._lock:
            self._open.discard(client)
            self._open.discard(server)
        client.close()
        server.close()


def _reset(sock):
    """Drop a connection: its relay threads wake (shutdown), the peer gets a reset (linger 0)."""
    for drop in (
        lambda: sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)),
        lambda: sock.shutdown(socket.SHUT_RDWR),
        sock.close,
    ):
        with contextlib.suppress(OSError):
            drop()
