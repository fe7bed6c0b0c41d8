#!/usr/bin/python3
"""An RFC 8908 Captive Portal API server over HTTPS for the lab. Standard
library only.

  GET  /api      application/captive+json: {"captive": true, "user-portal-url":
                 ...} until a login, then {"captive": false,
                 "seconds-remaining": N} for --session seconds (or for good
                 with --session 0), then captive again
  POST /login    logs the device in (what the user would do in the browser)
  GET  /badjson  a 200 whose JSON is cut short
  GET  /status   "captive" or "open", for the test to read

Every /api request is logged as "api <captive|open>".
capport-api.py --bind ADDR --port P --cert PEM --key PEM [--session S] [--portal URL]
(--portal: the user-portal-url; https://HOST/portal.html by default)
"""
import argparse
import http.server
import json
import socket
import socketserver
import ssl
import threading
import time

lock = threading.Lock()
state = {'until': None}	# None: captive; a time: open until then (0: for good)


def captive():
    with lock:
        until = state['until']
        if until is None:
            return True, None
        if until == 0:
            return False, None
        left = until - time.monotonic()
        if left <= 0:
            state['until'] = None
            return True, None
        return False, int(left)


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, ctype):
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Cache-Control', 'private')
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split('?', 1)[0]
        if path == '/api':
            closed, left = captive()
            host = self.headers.get('Host', '')
            doc = {'captive': closed,
                   'user-portal-url': args.portal or 'https://%s/portal.html' % host,
                   'venue-info-url': 'https://%s/venue.html' % host}
            if left is not None:
                doc['seconds-remaining'] = left
                doc['can-extend-session'] = True
            print('api %s' % ('captive' if closed else 'open'), flush=True)
            self.reply(200, json.dumps(doc).encode(), 'application/captive+json')
        elif path == '/badjson':
            print('badjson', flush=True)
            self.reply(200, b'{"captive": tru', 'application/captive+json')
        elif path == '/status':
            self.reply(200, b'captive\n' if captive()[0] else b'open\n', 'text/plain')
        else:
            self.reply(404, b'not found\n', 'text/plain')

    def do_POST(self):
        if self.path.split('?', 1)[0] != '/login':
            self.reply(404, b'not found\n', 'text/plain')
            return
        with lock:
            state['until'] = time.monotonic() + args.session if args.session else 0
        print('login', flush=True)
        self.reply(200, b'welcome\n', 'text/plain')

    def log_message(self, fmt, *a):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


parser = argparse.ArgumentParser()
parser.add_argument('--bind', required=True)
parser.add_argument('--port', type=int, default=443)
parser.add_argument('--cert', required=True)
parser.add_argument('--key', required=True)
parser.add_argument('--session', type=float, default=0)
parser.add_argument('--portal')
args = parser.parse_args()
if ':' in args.bind:
    Server.address_family = socket.AF_INET6
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(args.cert, args.key)
server = Server((args.bind, args.port), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
print('listening', flush=True)
server.serve_forever()
