#!/usr/bin/python3
"""The lab ISP's web server: answers connectivity checks the way ConnMan's
servers do, and a few other cases. Standard library only.

  /online/status.html  200 with "X-ConnMan-Status: online"
  /nocontent           204
  /portal              302 to /login (a captive portal)
  /plain               200 without the ConnMan header
  /wrong               200 with "X-ConnMan-Status: portal"
  /bytes/N             200 with N bytes of body (for traffic tests)
"""
import argparse
import http.server
import socket
import socketserver


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def reply(self, code, headers=(), body=b''):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Connection', 'close')
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def do_GET(self):
        path = self.path.split('?', 1)[0]
        if path == '/online/status.html':
            # An empty body, like ConnMan's own servers: ConnMan 1.41 stops
            # at a body and never goes online.
            self.reply(200, [('X-ConnMan-Status', 'online')])
        elif path == '/nocontent':
            self.reply(204)
        elif path == '/portal':
            self.reply(302, [('Location', 'http://%s/login' % self.headers.get('Host', 'portal'))])
        elif path == '/plain':
            self.reply(200, body=b'hello\n')
        elif path == '/wrong':
            self.reply(200, [('X-ConnMan-Status', 'portal')], b'login first\n')
        elif path.startswith('/bytes/') and path[7:].isdigit():
            self.reply(200, body=b'x' * min(int(path[7:]), 64 << 20))
        else:
            self.reply(404, body=b'not found\n')

    do_HEAD = do_GET

    def log_message(self, fmt, *args):
        print('%s %s' % (self.client_address[0], fmt % args), flush=True)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Server6(Server):
    address_family = socket.AF_INET6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bind', default='0.0.0.0')
    parser.add_argument('--port', type=int, default=80)
    args = parser.parse_args()
    cls = Server6 if ':' in args.bind else Server
    cls((args.bind, args.port), Handler).serve_forever()


if __name__ == '__main__':
    main()
