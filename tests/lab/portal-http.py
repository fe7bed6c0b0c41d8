#!/usr/bin/python3
"""The lab's captive portal: an HTTP server that answers every request with
a redirect to its login page until someone logs in, then answers the online
check with 204. Standard library only.

  --mode redirect  a plain portal: POST /login with any form logs in
  --mode wispr     a WISPr 1.0 hotspot: its redirect and login page carry a
                   WISPr Redirect message; POST /wispr with UserName and
                   Password (--user, --password) answers an AuthenticationReply,
                   ResponseCode 50 (logged in) or 100 (refused)

  --login-url URL  the WISPr Redirect's LoginURL (default http://HOST/wispr?...)
  --page-url URL   where /check redirects (default http://HOST/login); the
                   redirect then carries no WISPr message: only that page does
  --https-port N --cert PEM --key PEM
                   the same portal (one login state) over TLS on port N too
  --pad N          N bytes of inline style before a page's WISPr message, as
                   big real portal pages carry (CSS, scripts, data: images)
  --split-tag      sends a page in two writes a moment apart, cut inside the
                   <WISPAccessGatewayParam tag: the client reads it in pieces

  GET /check       204 once logged in, else 302 to /login (the online check)
  GET /login       the login page
  GET /logout      forgets the login (for the next test)

Every request is printed as "ADDR [tls] METHOD PATH" (and, for a login, the
user name, whether it was taken and the form's fields, the password shown
as right or wrong), so tests can count what reached the portal and how.
"""
import argparse
import http.server
import socketserver
import ssl
import threading
import time
import urllib.parse
from xml.sax.saxutils import escape

WISPR_REDIRECT = '''<!--<?xml version="1.0" encoding="UTF-8"?>
<WISPAccessGatewayParam xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:noNamespaceSchemaLocation="http://www.wballiance.net/wispr_2_0.xsd">
<Redirect>
<AccessProcedure>1.0</AccessProcedure>
<AccessLocation>lab</AccessLocation>
<LocationName>connd lab hotspot</LocationName>
<LoginURL>%(login)s</LoginURL>
<AbortLoginURL>http://%(host)s/abort</AbortLoginURL>
<MessageType>100</MessageType>
<ResponseCode>0</ResponseCode>
</Redirect>
</WISPAccessGatewayParam>-->'''

WISPR_REPLY = '''<html><body><!--<?xml version="1.0" encoding="UTF-8"?>
<WISPAccessGatewayParam xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<AuthenticationReply>
<MessageType>120</MessageType>
<ResponseCode>%(code)d</ResponseCode>
<LogoffURL>http://%(host)s/logout</LogoffURL>
</AuthenticationReply>
</WISPAccessGatewayParam>--></body></html>'''


class Portal:
    def __init__(self, args):
        self.args = args
        self.logged_in = False
        self.lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    portal = None
    tls = False

    def reply(self, code, headers=(), body=b''):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Connection', 'close')
        self.end_headers()
        cut = body.find(b'<WISPAccessGatewayParam') + 10
        if self.portal.args.split_tag and cut >= 10:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            time.sleep(0.3)
            body = body[cut:]
        try:
            self.wfile.write(body)
        except OSError:
            pass    # a client that read enough and closed

    def host(self):
        return self.headers.get('Host', 'portal.lab')

    def page(self, extra='', wispr=True):
        login = self.portal.args.login_url or 'http://%s/wispr?origin=lab&v=1' % self.host()
        wispr = (WISPR_REDIRECT % {'host': self.host(), 'login': escape(login)}
                 if wispr and self.portal.args.mode == 'wispr' else '')
        return ('<html><head><title>Lab hotspot</title>%s</head><body>%s\n'
                '<form method="post" action="/login"><input name="user">'
                '<input type="password" name="password"></form>%s</body></html>\n'
                % (self.padding(), wispr, extra)).encode()

    def padding(self):
        size = self.portal.args.pad
        if not size:
            return ''
        line = '.lab { background: url(data:image/png;base64,%s); }\n' % ('A' * 60)
        return '<style>\n%s</style>' % (line * (size // len(line) + 1))[:size]

    def do_GET(self):
        path = self.path.split('?', 1)[0]
        self.note('GET %s' % path)
        if path == '/check':
            if self.portal.logged_in:
                self.reply(204)
            else:
                page = self.portal.args.page_url
                self.reply(302, [('Location', page or 'http://%s/login' % self.host())],
                           self.page(wispr=not page))
        elif path == '/login':
            self.reply(200, [('Content-Type', 'text/html')], self.page())
        elif path == '/logout':
            self.portal.logged_in = False
            self.reply(200, body=b'logged out\n')
        else:
            self.reply(404, body=b'not found\n')

    def form(self):
        length = int(self.headers.get('Content-Length', '0'))
        return urllib.parse.parse_qs(self.rfile.read(length).decode(errors='replace'))

    def do_POST(self):
        path = self.path.split('?', 1)[0]
        form = self.form()
        args = self.portal.args
        if path == '/login':
            self.portal.logged_in = True
            self.note('POST /login: logged in')
            self.reply(200, body=b'welcome\n')
        elif path == '/wispr':
            user = form.get('UserName', [''])[0]
            ok = (user == args.user and form.get('Password', [''])[0] == args.password and
                  form.get('button', [''])[0] == 'Login')
            self.portal.logged_in = self.portal.logged_in or ok
            # The password is never printed, not even a wrong one.
            self.note('POST /wispr: user %s %s; fields %s' % (
                user, 'accepted' if ok else 'refused', self.fields(form)))
            body = WISPR_REPLY % {'code': 50 if ok else 100, 'host': self.host()}
            self.reply(200, [('Content-Type', 'text/html')], body.encode())
        else:
            self.note('POST %s' % path)
            self.reply(404, body=b'not found\n')

    def fields(self, form):
        args = self.portal.args
        return ' '.join('%s=%s' % (name, ('right' if values == [args.password] else 'wrong')
                                   if name == 'Password' else ','.join(values))
                        for name, values in sorted(form.items()))

    def note(self, text):
        print('%s %s%s' % (self.client_address[0], 'tls ' if self.tls else '', text),
              flush=True)

    def log_message(self, fmt, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bind', default='0.0.0.0')
    parser.add_argument('--port', type=int, default=8080)
    parser.add_argument('--mode', choices=('redirect', 'wispr'), default='redirect')
    parser.add_argument('--user', default='alice')
    parser.add_argument('--password', default='s3cret pass&word')
    parser.add_argument('--login-url')
    parser.add_argument('--page-url')
    parser.add_argument('--pad', type=int, default=0)
    parser.add_argument('--split-tag', action='store_true')
    parser.add_argument('--https-port', type=int)
    parser.add_argument('--cert')
    parser.add_argument('--key')
    args = parser.parse_args()
    Handler.portal = Portal(args)
    if args.https_port:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        tls = Server((args.bind, args.https_port), type('TlsHandler', (Handler,), {'tls': True}))
        tls.socket = context.wrap_socket(tls.socket, server_side=True)
        threading.Thread(target=tls.serve_forever, daemon=True).start()
    Server((args.bind, args.port), Handler).serve_forever()


if __name__ == '__main__':
    main()
