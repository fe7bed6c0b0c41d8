#!/usr/bin/env bash
# pki.sh DIR HOST: a test PKI for the lab's HTTPS servers, in DIR: two CAs,
# "ca" (the one connd is told to trust, CaptivePortalCAFile) and "rogue"
# (one it does not know), each with a server certificate for HOST:
# DIR/NAME.pem (the CA), DIR/NAME-srv.pem and DIR/NAME-srv.key (the server's).
set -eu
dir=$1 host=$2
mkdir -p "$dir"
printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$host" >"$dir/ext"
for name in ca rogue; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/$name.key" -out "$dir/$name.pem" -days 2 -subj "/CN=connd lab $name" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/$name-srv.key" -out "$dir/$name-srv.csr" -subj "/CN=$host" 2>/dev/null
	openssl x509 -req -in "$dir/$name-srv.csr" -CA "$dir/$name.pem" -CAkey "$dir/$name.key" \
		-CAcreateserial -out "$dir/$name-srv.pem" -days 2 -extfile "$dir/ext" 2>/dev/null
done
