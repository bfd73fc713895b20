#!/bin/sh
# Makes a self-signed TLS certificate for a trial or staging host:  make-self-signed-cert.sh DIR NAME
# Writes DIR/cert.pem and DIR/key.pem (0600) for NAME (a DNS name, or an IP address).
# A public service uses a certificate from a CA instead (certbot, or the province's own CA): put its
# cert.pem (full chain) and key.pem in the same place and nothing else changes.
set -eu
dir=$1; name=$2
mkdir -p "$dir"
case "$name" in
  *[!0-9.]*) san="DNS:$name" ;;
  *) san="IP:$name" ;;
esac
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$name" -addext "subjectAltName=$san" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
echo "$dir/cert.pem and $dir/key.pem for $name (valid 825 days)"
