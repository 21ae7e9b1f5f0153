"""A real HTTP server receiving webhook deliveries on 127.0.0.1 (a free port, in a thread):
it checks each signature and answers with the statuses a test asks for (the ``receiver``
fixture of tests/conftest.py)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stalker_web.webhook_signature import verify_signature


class Receiver:
    """What the receiver got (headers, body, whether the signature held) and the statuses it
    answers with, one per request (200 once they run out)."""

    def __init__(self) -> None:
        self.secret = ""
        self.statuses: list[int] = []
        self.requests: list[dict] = []

    def handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signed = verify_signature(receiver.secret, self.headers["Stalker-Signature"], body)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if not signed:
                    status = 401
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "signed": signed}
                )
                answer = f"answered {status}".encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        return Handler


def serving(receiver: Receiver):
    """Serve ``receiver`` until the returned server is shut down; its URL is set."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hook"
    return server
