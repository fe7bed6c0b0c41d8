#!/usr/bin/python3
"""The lab's captive portal: an HTTP server that answers every request with
a redirect to its login page until someone logs in, then answers the online
check with 204. Standard library only.

  --mode redirect  a plain portal: POST /login with any form logs in
  --mode wispr     a WISPr 1.0 hotspot: its redirect and login page carry a
                   WISPr Redirect message; POST /wispr with UserName and
                   Password (--user, --password) answers an AuthenticationReply,
                   ResponseCode 50 (logged in) or 100 (refused)

  GET /check       204 once logged in, else 302 to /login (the online check)
  GET /login       the login page
  GET /logout      forgets the login (for the next test)

Every request is printed as "METHOD PATH" (and, for a login, the user name
and whether it was taken), so tests can count what reached the portal.
"""
import argparse
import http.server
import socketserver
import threading
import urllib.parse

WISPR_REDIRECT = '''<!--<?xml version="1.0" encoding="UTF-8"?>
<WISPAccessGatewayParam xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:noNamespaceSchemaLocation="http://www.wballiance.net/wispr_2_0.xsd">
<Redirect>
<AccessProcedure>1.0</AccessProcedure>
<AccessLocation>lab</AccessLocation>
<LocationName>connd lab hotspot</LocationName>
<LoginURL>http://%(host)s/wispr?origin=lab&amp;v=1</LoginURL>
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

    def reply(self, code, headers=(), body=b''):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(body)

    def host(self):
        return self.headers.get('Host', 'portal.lab')

    def page(self, extra=''):
        wispr = WISPR_REDIRECT % {'host': self.host()} if self.portal.args.mode == 'wispr' else ''
        return ('<html><head><title>Lab hotspot</title></head><body>%s\n'
                '<form method="post" action="/login"><input name="user">'
                '<input type="password" name="password"></form>%s</body></html>\n'
                % (wispr, extra)).encode()

    def do_GET(self):
        path = self.path.split('?', 1)[0]
        self.note('GET %s' % path)
        if path == '/check':
            if self.portal.logged_in:
                self.reply(204)
            else:
                self.reply(302, [('Location', 'http://%s/login' % self.host())], self.page())
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
            self.note('POST /wispr: user %s %s' % (user, 'accepted' if ok else 'refused'))
            body = WISPR_REPLY % {'code': 50 if ok else 100, 'host': self.host()}
            self.reply(200, [('Content-Type', 'text/html')], body.encode())
        else:
            self.note('POST %s' % path)
            self.reply(404, body=b'not found\n')

    def note(self, text):
        print('%s %s' % (self.client_address[0], text), flush=True)

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
    args = parser.parse_args()
    Handler.portal = Portal(args)
    Server((args.bind, args.port), Handler).serve_forever()


if __name__ == '__main__':
    main()
