#!/usr/bin/python3
"""A net.connman.vpn.Agent for the VPN scenarios: registers itself, answers
RequestInput with a username and the password read from a file at that
moment (so a test can make it wrong), or with that password as the private
key's when OpenVPN.PrivateKeyPassword is asked, and with the one-time code
read from OTP_FILE when OpenVPN.OTP is asked (a static challenge, whose
text it logs as "challenge REQUIREMENT TEXT"); logs each call, one per line
("registered BUSNAME" first):

  vpn-agent.py USERNAME PASSWORD_FILE LOG [OTP_FILE]

VPN_AGENT_NAMES=openvpn: the credentials are answered as OpenVPN.Username and
OpenVPN.Password, the names ConnMan's openvpn plugin asks for.
"""
import os
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

VPN = 'net.connman.vpn'
PATH = '/test/vpnagent'


class Agent(dbus.service.Object):
    def __init__(self, bus, user, password_file, log, otp_file):
        super().__init__(bus, PATH)
        self.user, self.password_file, self.log = user, password_file, log
        self.otp_file = otp_file

    def note(self, text):
        with open(self.log, 'a') as f:
            f.write(text + '\n')

    @dbus.service.method(VPN + '.Agent', in_signature='oa{sv}', out_signature='a{sv}')
    def RequestInput(self, path, fields):
        kinds = ','.join('%s:%s' % (k, v.get('Type', '')) for k, v in sorted(fields.items()))
        self.note('RequestInput %s %s' % (path, kinds))
        if 'Host' in fields or 'Name' in fields:
            self.note('about %s %s' % (fields.get('Host', {}).get('Value', '-'),
                                       fields.get('Name', {}).get('Value', '-')))
        controls = sorted('%s=%s' % (k, bool(v.get('Value'))) for k, v in fields.items()
                          if v.get('Requirement') == 'control')
        if controls:
            self.note('controls ' + ' '.join(controls))
        with open(self.password_file) as f:
            password = f.read().strip()
        if 'OpenVPN.PrivateKeyPassword' in fields:
            return {'OpenVPN.PrivateKeyPassword': password}
        answer = {'Username': self.user, 'Password': password}
        if os.environ.get('VPN_AGENT_NAMES') == 'openvpn':   # ConnMan's openvpn plugin's
            answer = {'OpenVPN.Username': self.user, 'OpenVPN.Password': password}
        if 'OpenVPN.OTP' in fields:
            challenge = fields.get('OpenVPN.Challenge', {})
            self.note('challenge %s %s' % (challenge.get('Requirement', ''),
                                           challenge.get('Value', '')))
            if self.otp_file:
                with open(self.otp_file) as f:
                    answer['OpenVPN.OTP'] = f.read().strip()
        return answer

    @dbus.service.method(VPN + '.Agent', in_signature='os', out_signature='')
    def ReportError(self, path, error):
        self.note('ReportError %s %s' % (path, error))

    @dbus.service.method(VPN + '.Agent', in_signature='', out_signature='')
    def Release(self):
        self.note('Release')

    @dbus.service.method(VPN + '.Agent', in_signature='', out_signature='')
    def Cancel(self):
        self.note('Cancel')


def main(argv):
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    agent = Agent(bus, argv[1], argv[2], argv[3], argv[4] if len(argv) > 4 else None)
    manager = dbus.Interface(bus.get_object(VPN, '/'), VPN + '.Manager')
    # A previous agent that just left may not be forgotten yet: ask again.
    deadline = time.monotonic() + 5
    while True:
        try:
            manager.RegisterAgent(dbus.ObjectPath(PATH))
            break
        except dbus.DBusException as e:
            if not e.get_dbus_name().endswith('AlreadyExists') or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    agent.note('registered %s' % bus.get_unique_name())
    GLib.MainLoop().run()


if __name__ == '__main__':
    main(sys.argv)
